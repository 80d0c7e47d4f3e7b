/* SPDX-License-Identifier: GPL-2.0-only */
/* minixen runtime objects: physical CPUs, domains, vCPUs. */
#ifndef MINIXEN_HYP_H
#define MINIXEN_HYP_H

#include <minixen/bootcfg.h>
#include <minixen/lib.h>
#include <minixen/s2.h>
#include <minixen/sched.h>
#include <minixen/vgic.h>
#include <minixen/xen_dom.h>

/* Guest physical layout of the emulated devices (Xen's, arch-arm.h). */
#define GUEST_GICD		0x03001000UL
#define GUEST_GICR		0x03020000UL
#define GUEST_UART		0x22000000UL
#define GUEST_UART_SPI		32
#define GUEST_RAM_BASE		0x40000000UL

struct gregs {
	u64 x[31];		/* layout known to head.S */
};

struct fpregs {
	u64 q[64];
	u64 fpsr;
	u64 fpcr;
} __aligned(16);

struct el1_ctx {
	u64 sctlr, ttbr0, ttbr1, tcr, mair, amair, vbar, contextidr;
	u64 tpidr_el0, tpidrro_el0, tpidr_el1, sp_el0, sp_el1, elr, spsr;
	u64 esr, far, afsr0, afsr1, par, cpacr, cntkctl, csselr, mdscr;
	u64 cntv_ctl, cntv_cval;
};

struct vpl011 {
	u32 imsc, cr, lcr, ibrd, fbrd;
	char line[256];
	u32 len;
};

struct domain;

struct vcpu {
	struct gregs regs;
	u64 pc, pstate;
	struct el1_ctx sys;
	struct fpregs fp;
	struct vgic_vcpu vgic;
	struct sched_ent sched;
	struct domain *d;
	u32 id;
	bool pending_reset;	/* PSCI CPU_ON: start at entry/ctx */
	u64 on_entry, on_ctx;
	u64 block_until;	/* RUN_WFI from a hypercall: deadline */
	bool in_poll;		/* RUN_WFI from SCHEDOP_poll, until it runs */
	struct xen_vcpu xen;	/* Xen ABI state: xen_dom.h */
};

struct domain {
	u32 id;
	char name[NAME_LEN];
	u32 vmid;
	struct s2 s2;
	u64 ram_ipa, ram_pa, ram_size;
	u32 nr_vcpus;
	struct vcpu *vcpu[MAX_VCPUS];
	struct mx_lock lock;	/* vgic, vpl011, PSCI state */
	struct vgic vgic;
	struct vpl011 uart;
	bool dead;
	bool reboot;		/* shut down by SYSTEM_RESET */
	bool released;		/* dead, and let go of others: domain.c */
	u32 nr_warns;		/* guest faults in this window: dom_warn() */
	u64 warn_since;		/* counter value the window started at */
	struct xen_dom xen;	/* Xen ABI state: xen_dom.h */
};

/*
 * The stage-2 lock: held while @d's stage-2 tables change and while guest
 * memory is copied through them (guest_access.h), so that a page unmapped
 * from the domain is never written after it is gone. It is the grant
 * table's lock (grant.h: a domain's grant lock guards its stage 2), so
 * that grant maps, memory_op and guest copies serialise on one lock.
 */
static inline struct mx_lock *p2m_lock(struct domain *d)
{
	return &d->xen.gnt.lock;
}

struct pcpu {
	struct gregs *regs;	/* offset 0: head.S */
	u32 id;
	u64 mpidr;
	u64 gicr;		/* this CPU's redistributor */
	struct vcpu *cur;
	bool idle;
	bool resched;
};

extern struct pcpu pcpus[MAX_PCPUS];
extern u32 nr_pcpus;
extern struct bootcfg boot_cfg;
extern struct sched sched;
extern struct mx_lock sched_lock;
extern u32 nr_lrs;

#ifndef MX_HOST
static inline struct pcpu *this_pcpu(void)
{
	struct pcpu *p;

	asm volatile("mrs %0, tpidr_el2" : "=r" (p));
	return p;
}
#endif

extern char _start[], _end[];	/* minixen.lds */

/* head.S */
unsigned long guest_enter(struct gregs *regs);
void fpsimd_save(struct fpregs *fp);
void fpsimd_restore(const struct fpregs *fp);
void secondary_entry(void);

/* main.c */
void start_minixen(u64 dtb);
void secondary_main(u64 idx);
void hyp_fatal_exception(u64 kind, u64 esr, u64 elr, u64 far, u64 sp);
void bad_config(const char *fmt, ...) __printf(1, 2) __noreturn;

/* mmu.c */
void mmu_init(void);
void mmu_enable(void);

/* gic.c */
void gic_init(void);
void gic_cpu_init(struct pcpu *p);
void gic_send_sgi(u32 pcpu, u32 intid);
u32 gic_ack(void);
void gic_eoi(u32 iar);

/* psci.c */
int host_cpu_on(u64 mpidr, u64 entry, u64 ctx);
void host_power_off(bool reboot) __noreturn;
bool psci_call(struct vcpu *v, bool smc);

/* mm.c */
void mm_init(void);
u64 mm_alloc_ram(u64 size, u64 align);
void *hyp_alloc(u64 size, u64 align);
/* Like hyp_alloc(), but NULL when the heap is exhausted (guest-driven). */
void *hyp_try_alloc(u64 size, u64 align);

/* domain.c */
void domains_build(void);
extern struct domain *domains[MAX_DOMAINS];
extern u32 nr_domains;
/* End @d for @reason (SHUTDOWN_poweroff, _reboot, _crash, _watchdog). */
void domain_shutdown(struct domain *d, u32 reason);
/*
 * Under sched_lock: is @d dead with none of its vCPUs running any more,
 * and not released yet? Then it is marked released, and the caller calls
 * domain_release() once sched_lock is dropped: its grant mappings of
 * other domains' pages go, its event channels close (the peers' ends
 * wait unbound again).
 */
bool domain_release_due(struct domain *d);
void domain_release(struct domain *d);

/* What ends a vCPU's turn on its CPU (vcpu.c). */
enum run_result { RUN_PREEMPT, RUN_WFI, RUN_OFF };

/* hypercall.c: HVC #0xEA1; RUN_*, or -1 to go on running */
int guest_xen_hypercall(struct vcpu *v);

/* vcpu.c */
#define DOM_MAX_WARNS	16
#define DOM_WARN_SECS	10
bool dom_warn_ok(struct domain *d);
#define dom_warn(d, fmt, ...) do {					\
	if (dom_warn_ok(d))						\
		pr_warn(fmt, ##__VA_ARGS__);				\
} while (0)
void vcpu_kick_mask(struct domain *d, u32 mask);
void vcpu_reset(struct vcpu *v, u64 entry, u64 x0);
void pcpu_run(void) __noreturn;
void sched_kick_idle(void);
u32 vpl011_mmio(struct vcpu *v, u64 off, int size, bool write, u64 *val);

#endif
