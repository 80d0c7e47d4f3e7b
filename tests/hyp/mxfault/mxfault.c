// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen fault injection from inside a guest. mode= says what to do:
 *
 * read  read the physical address addr= that the domain does not own.
 *       Under minixen the read gets a synchronous external abort, so
 *       loading the module oopses (insmod is killed) and the kernel goes on.
 * spin  spin forever with interrupts masked: minixen must still give the
 *       physical CPU to other vCPUs. insmod never returns.
 * psci  raw PSCI/SMCCC and hypercall calls with bad arguments, then reads
 *       and harmless writes all over the emulated GIC and UART, then
 *       starts vCPU2 on a page of zeroes behind Linux's back: it loops
 *       forever through undefined-instruction and instruction-abort
 *       exceptions (its vector table is not in RAM). Each check prints
 *       "mxfault: ok - ..." or "mxfault: not ok - ...", then a summary
 *       line. Expects three vCPUs, all but the first off (maxcpus=1).
 * xen   Xen hypercalls with good and bad arguments (bad pointers: NULL,
 *       an unmapped kernel VA, MMIO, read-only memory, huge lengths),
 *       checked the same way; summary "mxfault: xen: N passed, M failed".
 *       priv=1: the domain is the privileged one (dom0).
 * xenoff SCHEDOP_shutdown(poweroff): the domain ends inside insmod.
 * peer  an event channel between this domain and domain peer=: side=a
 *       maps shared_info over one of its RAM pages, allocates an unbound
 *       port for the peer (port 1: nothing else has ports yet) and waits
 *       up to 10 s for the peer's event in its shared_info; side=b binds
 *       to port 1 of the peer (retrying until it is offered) and sends.
 *       Summary "mxfault: peer: N passed, M failed".
 * virq  the global VIRQs, with domain peer=: priv=1 (dom0) maps
 *       shared_info, binds VIRQ_DOM_EXC and VIRQ_CON_RING, offers the
 *       peer a port and then, for up to wait= seconds, counts the events
 *       on both ports and the upcalls (evtchn_upcall_pending set) until
 *       both VIRQs came; the peer ends meanwhile. priv=0 (the peer) binds
 *       both VIRQs too (Xen lets any domain bind them; only the hardware
 *       domain gets them), binds to the port the privileged domain offers
 *       (so that domain is ready), writes through console_io and checks
 *       VIRQ_CON_RING did not come to it. Summary "mxfault: virq: N passed, M failed".
 */
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/module.h>
#include <linux/vmalloc.h>

#include <xen/interface/xen.h>
#include <xen/interface/event_channel.h>
#include <xen/interface/version.h>
#include <xen/interface/memory.h>
#include <xen/interface/vcpu.h>
#include <xen/interface/sched.h>
#include <xen/interface/hvm/hvm_op.h>
#include <xen/interface/hvm/params.h>

static unsigned long addr = 0x10000000;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "physical address to read (mode=read)");

static char *mode = "read";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "read | spin | psci | xen | xenoff | peer | virq");

static char *side = "a";
module_param(side, charp, 0444);
MODULE_PARM_DESC(side, "mode=peer: a (offers a port, waits) | b (binds, sends)");

static uint peer;
module_param(peer, uint, 0444);
MODULE_PARM_DESC(peer, "mode=peer, virq: the other domain's id");

static bool priv;
module_param(priv, bool, 0444);
MODULE_PARM_DESC(priv, "mode=xen, virq: the domain is the privileged one");

static uint wait = 20;
module_param(wait, uint, 0444);
MODULE_PARM_DESC(wait, "mode=virq, priv=1: seconds to wait for both VIRQs");

#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_SUSPEND	0xc4000001UL
#define PSCI_CPU_ON_32		0x84000003UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_MIGRATE_INFO_TYPE	0x84000006UL
#define PSCI_FEATURES		0x8400000aUL

#define SUCCESS			0L
#define NOT_SUPPORTED		-1L
#define INVALID_PARAMS		-2L
#define ALREADY_ON		-4L
#define INVALID_ADDRESS		-9L

/* Guest layout minixen gives every domain (hyp: <minixen/layout.h>). */
#define GUEST_GICD		0x03001000UL
#define GUEST_GICR		0x03020000UL
#define GICR_STRIDE		0x20000UL
#define GUEST_UART		0x22000000UL

static int passed, failed;

static long hvc0(unsigned long fn, unsigned long a1, unsigned long a2,
		 unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("hvc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

static long smc0(unsigned long fn, unsigned long a1, unsigned long a2,
		 unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* Xen hypercall: hvc #0xea1, number in x16, arguments x0-x2. */
static long xen_hvc3(unsigned long nr, unsigned long a1, unsigned long a2,
		     unsigned long a3)
{
	register unsigned long x0 asm("x0") = a1;
	register unsigned long x1 asm("x1") = a2;
	register unsigned long x2 asm("x2") = a3;
	register unsigned long x16 asm("x16") = nr;

	asm volatile("hvc #0xea1" : "+r" (x0), "+r" (x1), "+r" (x2),
		     "+r" (x16) : : "x3", "x4", "memory");
	return x0;
}

static long xen_hvc(unsigned long nr, unsigned long a1)
{
	return xen_hvc3(nr, a1, 0, 0);
}

static void check(const char *what, long got, long want)
{
	if (got == want) {
		passed++;
		pr_info("mxfault: ok - %s = %ld\n", what, got);
	} else {
		failed++;
		pr_info("mxfault: not ok - %s = %ld, expected %ld\n", what, got,
			want);
	}
}

/* @good: an address in the domain's RAM, a valid CPU_ON entry point. */
static void psci_checks(unsigned long good)
{
	unsigned long self = read_cpuid_mpidr() & 0xff00ffffffUL;

	check("PSCI_VERSION over HVC", hvc0(PSCI_VERSION, 0, 0, 0), 0x10001);
	check("PSCI_VERSION over SMC", smc0(PSCI_VERSION, 0, 0, 0), 0x10001);
	check("MIGRATE_INFO_TYPE", hvc0(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	check("PSCI_FEATURES(unknown function)",
	      hvc0(PSCI_FEATURES, 0x8400001f, 0, 0), NOT_SUPPORTED);
	check("unknown PSCI function", hvc0(0x8400001f, 1, 2, 3),
	      NOT_SUPPORTED);
	check("unknown SMCCC function over SMC", smc0(0xc2001234, 0, 0, 0),
	      NOT_SUPPORTED);
	check("CPU_SUSPEND (not offered)",
	      hvc0(PSCI_CPU_SUSPEND, 0, good, 0), NOT_SUPPORTED);
	check("CPU_ON nonexistent MPIDR Aff0 7", hvc0(PSCI_CPU_ON, 7, good, 0),
	      INVALID_PARAMS);
	check("CPU_ON nonexistent MPIDR Aff1 1",
	      hvc0(PSCI_CPU_ON, 0x100, good, 0), INVALID_PARAMS);
	check("CPU_ON MPIDR with non-affinity bits",
	      hvc0(PSCI_CPU_ON, BIT(31) | 1, good, 0), INVALID_PARAMS);
	check("CPU_ON self", hvc0(PSCI_CPU_ON, self, good, 0), ALREADY_ON);
	check("CPU_ON entry below RAM", hvc0(PSCI_CPU_ON, 1, 0x1000, 0),
	      INVALID_ADDRESS);
	check("CPU_ON entry ~0", hvc0(PSCI_CPU_ON, 1, ~0UL, 0),
	      INVALID_ADDRESS);
	check("CPU_ON entry misaligned", hvc0(PSCI_CPU_ON, 1, good + 2, 0),
	      INVALID_ADDRESS);
	check("CPU_ON (SMC32) entry below RAM",
	      smc0(PSCI_CPU_ON_32, 1, 0x1000, 0), INVALID_ADDRESS);
	check("AFFINITY_INFO self", hvc0(PSCI_AFFINITY_INFO, self, 0, 0), 0);
	check("AFFINITY_INFO nonexistent MPIDR",
	      hvc0(PSCI_AFFINITY_INFO, 0x55, 0, 0), INVALID_PARAMS);
	check("AFFINITY_INFO level 4", hvc0(PSCI_AFFINITY_INFO, 1, 4, 0),
	      INVALID_PARAMS);
	check("AFFINITY_INFO level ~0", hvc0(PSCI_AFFINITY_INFO, 1, ~0UL, 0),
	      INVALID_PARAMS);
	/* None of the bad CPU_ONs may have started it. */
	check("AFFINITY_INFO vCPU1 still off",
	      hvc0(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	check("Xen hypercall 9999 (unknown)", xen_hvc(9999, 0), -38);
}

/* Reads all over a region, 1, 2, 4 and 8 bytes wide: minixen must answer. */
static int probe_reads(unsigned long base, unsigned long size,
		       unsigned long step)
{
	void __iomem *p = ioremap(base, size);
	unsigned long off;

	if (!p)
		return -ENOMEM;
	for (off = 0; off < size; off += step)
		(void)readl(p + off);
	for (off = 0; off < size; off += 16 * step) {
		(void)readb(p + off + 1);
		(void)readw(p + off + 2);
		(void)readq(p + off + 8);
	}
	iounmap(p);
	return 0;
}

static void mmio_checks(void)
{
	void __iomem *gicd = ioremap(GUEST_GICD, 0x10000);
	void __iomem *uart = ioremap(GUEST_UART, 0x1000);
	int r;

	if (!gicd || !uart) {
		check("ioremap of the GIC and UART", -ENOMEM, 0);
		goto out;
	}
	r = probe_reads(GUEST_GICD, 0x10000, 4);
	r = r ?: probe_reads(GUEST_GICR, 2 * GICR_STRIDE, 0x40);
	r = r ?: probe_reads(GUEST_UART, 0x1000, 4);
	check("reads all over GICD, GICR, UART", r, 0);
	/* Read-only registers, an unused SPI, bogus routing: ignored. */
	writel(0xffffffff, gicd + 0x0004);		/* GICD_TYPER */
	writel(0xffffffff, gicd + 0xffe8);		/* GICD_PIDR2 */
	writeq(~0UL, gicd + 0x6000 + 8 * 63);		/* IROUTER63 */
	writel(0xdeadbeef, gicd + 0x6000 + 8 * 62 + 4);	/* IROUTER62 hi */
	writeb(0xff, gicd + 0x400 + 63);		/* IPRIORITYR63 */
	writew(0xffff, gicd + 0x6000 + 8 * 61);		/* IROUTER61, 16-bit */
	writel(0xffffffff, uart + 0xfe0);		/* UARTPeriphID0 */
	check("GICD_PIDR2 after writes", readl(gicd + 0xffe8) & 0xff, 0x3b);
	check("UARTPeriphID0 after write", readl(uart + 0xfe0), 0x11);
	check("GICD_IROUTER63 after write of ~0",
	      readq(gicd + 0x6000 + 8 * 63), 0xff00ffffffL | BIT(31));
out:
	if (gicd)
		iounmap(gicd);
	if (uart)
		iounmap(uart);
}

static void fault_loop_checks(unsigned long zeroes)
{
	check("CPU_ON vCPU2 at a page of zeroes",
	      hvc0(PSCI_CPU_ON, 2, zeroes, 0), SUCCESS);
	msleep(200);
	check("AFFINITY_INFO vCPU2 on (faulting)",
	      hvc0(PSCI_AFFINITY_INFO, 2, 0, 0), 0);
	check("CPU_ON vCPU2 again", hvc0(PSCI_CPU_ON, 2, zeroes, 0),
	      ALREADY_ON);
}

#define XEN_EPERM	-1L
#define XEN_ENOENT	-2L
#define XEN_ESRCH	-3L
#define XEN_EFAULT	-14L
#define XEN_EEXIST	-17L
#define XEN_EINVAL	-22L
#define XEN_ENOSYS	-38L

static const struct xen_feature_info ro_fi = { .submap_idx = 0 };

#define PTR(p)	((unsigned long)(p))

/* Pointers a guest may get wrong: all must give -EFAULT, nothing else. */
static void xen_bad_pointers(u8 *page, void *guard, void __iomem *uart)
{
	char *tail = (char *)guard - 8;
	struct xen_feature_info fi = { .submap_idx = 0 };

	check("xen_version(extraversion, NULL)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_extraversion, 0, 0),
	      XEN_EFAULT);
	check("xen_version(extraversion, unmapped kernel VA)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_extraversion,
		       PTR(guard), 0), XEN_EFAULT);
	check("xen_version(extraversion, VA of the emulated UART)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_extraversion,
		       PTR(uart), 0), XEN_EFAULT);
	check("xen_version(get_features, read-only data)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_get_features,
		       PTR(&ro_fi), 0), XEN_EFAULT);
	check("read-only data unchanged", ro_fi.submap, 0);
	check("xen_version(get_features, ~0)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_get_features, ~0UL, 0),
	      XEN_EFAULT);
	check("xen_version(get_features, user address 0x1000)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_get_features, 0x1000,
		       0), XEN_EFAULT);
	/* 8 good bytes, then the guard page: -EFAULT (copied by chunks) */
	memcpy(tail, "MX-HUGE\n", 8);
	check("console_io(write, 4 GiB - 1 bytes, running into a guard page)",
	      xen_hvc3(__HYPERVISOR_console_io, CONSOLEIO_write, 0xffffffffUL,
		       PTR(tail)), XEN_EFAULT);
	check("console_io(write, from the emulated UART)",
	      xen_hvc3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, PTR(uart)),
	      XEN_EFAULT);
	check("console_io(write, NULL)",
	      xen_hvc3(__HYPERVISOR_console_io, CONSOLEIO_write, 16, 0),
	      XEN_EFAULT);
	check("memory_op(add_to_physmap, NULL)",
	      xen_hvc3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, 0, 0),
	      XEN_EFAULT);
	check("hvm_op(get_param, unmapped)",
	      xen_hvc3(__HYPERVISOR_hvm_op, HVMOP_get_param, PTR(guard), 0),
	      XEN_EFAULT);
	check("vcpu_op(register_runstate, NULL)",
	      xen_hvc3(__HYPERVISOR_vcpu_op,
		       VCPUOP_register_runstate_memory_area, 0, 0), XEN_EFAULT);
	check("sched_op(shutdown, NULL)",
	      xen_hvc3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, 0, 0),
	      XEN_EFAULT);
	/* the feature word straddles two pages: both halves written */
	fi.submap = 0;
	memcpy(page + PAGE_SIZE - 4, &fi, sizeof(fi));
	check("xen_version(get_features) across a page boundary",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_get_features,
		       PTR(page + PAGE_SIZE - 4), 0), 0);
	memcpy(&fi, page + PAGE_SIZE - 4, sizeof(fi));
	check("... auto_translated_physmap set in it",
	      !!(fi.submap & BIT(XENFEAT_auto_translated_physmap)), 1);
}

static long add_to_physmap(struct xen_add_to_physmap *xatp)
{
	return xen_hvc3(__HYPERVISOR_memory_op, XENMEM_add_to_physmap,
			PTR(xatp), 0);
}

static void xen_checks(void)
{
	char extra[XEN_EXTRAVERSION_LEN + 1] = "";
	struct xen_feature_info fi = { .submap_idx = 0 };
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
		.idx = 0, .gpfn = (0x38000000UL + 0x1000000 - 0x1000) >> 12,
	};
	struct xen_remove_from_physmap xrfp = {
		.domid = DOMID_SELF, .gpfn = xatp.gpfn,
	};
	struct xen_hvm_param hp = { .domid = DOMID_SELF,
				    .index = HVM_PARAM_STORE_PFN };
	struct vcpu_register_vcpu_info vi = { .mfn = 0, .offset = 4090 };
	struct vcpu_runstate_info rs = { .state = -1 };
	struct vcpu_register_runstate_memory_area rsa = { .addr.v = &rs };
	struct sched_poll poll = { .nr_ports = 0, .timeout = 1 };
	struct sched_remote_shutdown rsd = { .domain_id = 5, .reason = 0 };
	static const char hello[] = "MX-CONSOLEIO hello through console_io\n";
	void __iomem *uart = ioremap(GUEST_UART, 0x1000);
	u8 *page = vmalloc(2 * PAGE_SIZE);
	unsigned int cpu;
	long r;

	if (!uart || !page) {
		check("ioremap and vmalloc", -ENOMEM, 0);
		goto out;
	}
	check("xen_version(version)", xen_hvc(__HYPERVISOR_xen_version,
					      XENVER_version), 0x40011);
	check("xen_version(extraversion)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_extraversion,
		       PTR(extra), 0), 0);
	pr_info("mxfault: Xen extraversion \"%s\"\n", extra);
	check("xen_version(get_features)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_get_features,
		       PTR(&fi), 0), 0);
	pr_info("mxfault: Xen features 0x%08x\n", fi.submap);
	check("feature auto_translated_physmap",
	      !!(fi.submap & BIT(XENFEAT_auto_translated_physmap)), 1);
	check("feature dom0 (never: xenstore is minixen's)",
	      !!(fi.submap & BIT(XENFEAT_dom0)), 0);
	fi.submap_idx = 1;
	check("xen_version(get_features, submap 1)",
	      xen_hvc3(__HYPERVISOR_xen_version, XENVER_get_features,
		       PTR(&fi), 0), XEN_EINVAL);
	check("xen_version(pagesize)", xen_hvc(__HYPERVISOR_xen_version,
					       XENVER_pagesize), 4096);
	check("xen_version(99)", xen_hvc(__HYPERVISOR_xen_version, 99),
	      XEN_ENOSYS);
	check("console_io(write)",
	      xen_hvc3(__HYPERVISOR_console_io, CONSOLEIO_write,
		       sizeof(hello) - 1, PTR(hello)), 0);
	check("console_io(read)", xen_hvc3(__HYPERVISOR_console_io,
					   CONSOLEIO_read, 16, PTR(extra)), 0);
	check("console_io(7)", xen_hvc3(__HYPERVISOR_console_io, 7, 0, 0),
	      XEN_ENOSYS);
	check("Xen hypercall 9999 (unknown)", xen_hvc(9999, 0), XEN_ENOSYS);
	check("Xen hypercall 64 (past the table)", xen_hvc(64, 0), XEN_ENOSYS);
	check("Xen hypercall ~0", xen_hvc(~0UL, 0), XEN_ENOSYS);
	check("Xen hypercall 13 (multicall, not offered)", xen_hvc(13, 0),
	      XEN_ENOSYS);

	check("memory_op(add_to_physmap, shared_info in the grant window)",
	      add_to_physmap(&xatp), 0);
	check("memory_op(remove_from_physmap, shared_info)",
	      xen_hvc3(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
		       PTR(&xrfp), 0), 0);
	check("memory_op(remove_from_physmap, again)",
	      xen_hvc3(__HYPERVISOR_memory_op, XENMEM_remove_from_physmap,
		       PTR(&xrfp), 0), XEN_ENOENT);
	xatp.idx = 1;
	check("memory_op(add_to_physmap, shared_info idx 1)",
	      add_to_physmap(&xatp), XEN_EINVAL);
	xatp.idx = 0;
	xatp.gpfn = 0x10;
	check("memory_op(add_to_physmap, gfn 0x10: not RAM, not the window)",
	      add_to_physmap(&xatp), XEN_EINVAL);
	xatp.gpfn = ~0ULL;
	check("memory_op(add_to_physmap, gfn ~0)",
	      add_to_physmap(&xatp), XEN_EINVAL);
	xatp.space = XENMAPSPACE_grant_table;
	xatp.gpfn = 0x38000;
	check("memory_op(add_to_physmap, grant frame 0 in the window)",
	      add_to_physmap(&xatp), 0);
	xatp.idx = 1000;
	check("memory_op(add_to_physmap, grant frame 1000: beyond the max)",
	      add_to_physmap(&xatp), XEN_EINVAL);
	xatp.idx = 0;
	xatp.space = 99;
	check("memory_op(add_to_physmap, space 99)",
	      add_to_physmap(&xatp), XEN_ENOSYS);
	xatp.space = XENMAPSPACE_shared_info;
	xatp.domid = 77;
	check("memory_op(add_to_physmap, domid 77)",
	      add_to_physmap(&xatp), XEN_ESRCH);
	check("memory_op(99)", xen_hvc3(__HYPERVISOR_memory_op, 99, 0, 0),
	      XEN_ENOSYS);

	check("hvm_op(get_param STORE_PFN)",
	      xen_hvc3(__HYPERVISOR_hvm_op, HVMOP_get_param, PTR(&hp), 0), 0);
	pr_info("mxfault: HVM_PARAM_STORE_PFN 0x%llx\n", hp.value);
	check("hvm_op(set_param STORE_PFN: minixen's own)",
	      xen_hvc3(__HYPERVISOR_hvm_op, HVMOP_set_param, PTR(&hp), 0),
	      XEN_EPERM);
	hp.index = 1000;
	check("hvm_op(get_param 1000)",
	      xen_hvc3(__HYPERVISOR_hvm_op, HVMOP_get_param, PTR(&hp), 0),
	      XEN_EINVAL);
	hp.index = HVM_PARAM_STORE_EVTCHN;
	hp.domid = 77;
	check("hvm_op(get_param, domid 77)",
	      xen_hvc3(__HYPERVISOR_hvm_op, HVMOP_get_param, PTR(&hp), 0),
	      XEN_ESRCH);
	check("hvm_op(99)", xen_hvc3(__HYPERVISOR_hvm_op, 99, PTR(&hp), 0),
	      XEN_ENOSYS);

	cpu = get_cpu();
	check("vcpu_op(register_runstate_memory_area)",
	      xen_hvc3(__HYPERVISOR_vcpu_op,
		       VCPUOP_register_runstate_memory_area, cpu, PTR(&rsa)),
	      0);
	check("... runstate written: running", rs.state, RUNSTATE_running);
	rsa.addr.v = NULL;
	xen_hvc3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area,
		 cpu, PTR(&rsa));
	put_cpu();
	check("vcpu_op(register_vcpu_info, offset 4090)",
	      xen_hvc3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 0,
		       PTR(&vi)), XEN_EINVAL);
	check("vcpu_op(register_vcpu_info, vCPU 99)",
	      xen_hvc3(__HYPERVISOR_vcpu_op, VCPUOP_register_vcpu_info, 99,
		       PTR(&vi)), XEN_ENOENT);
	check("vcpu_op(is_up): not on arm",
	      xen_hvc3(__HYPERVISOR_vcpu_op, VCPUOP_is_up, 0, 0), XEN_EINVAL);

	check("sched_op(yield)", xen_hvc3(__HYPERVISOR_sched_op,
					  SCHEDOP_yield, 0, 0), 0);
	check("sched_op(poll, no port, timeout passed)",
	      xen_hvc3(__HYPERVISOR_sched_op, SCHEDOP_poll, PTR(&poll), 0), 0);
	poll.nr_ports = 200;
	check("sched_op(poll, 200 ports)",
	      xen_hvc3(__HYPERVISOR_sched_op, SCHEDOP_poll, PTR(&poll), 0),
	      XEN_EINVAL);
	poll.nr_ports = 1;
	check("sched_op(poll, ports NULL)",
	      xen_hvc3(__HYPERVISOR_sched_op, SCHEDOP_poll, PTR(&poll), 0),
	      XEN_EFAULT);
	r = xen_hvc3(__HYPERVISOR_sched_op, SCHEDOP_remote_shutdown,
		     PTR(&rsd), 0);
	check(priv ? "sched_op(remote_shutdown, domid 5)" :
	      "sched_op(remote_shutdown): not privileged", r,
	      priv ? XEN_ESRCH : XEN_EPERM);
	check("sched_op(99)", xen_hvc3(__HYPERVISOR_sched_op, 99, 0, 0),
	      XEN_ENOSYS);
	check("vm_assist(enable, runstate_update_flag)",
	      xen_hvc3(__HYPERVISOR_vm_assist, 0, 5, 0), XEN_EINVAL);

	xen_bad_pointers(page, page + 2 * PAGE_SIZE, uart);
out:
	if (uart)
		iounmap(uart);
	vfree(page);
}

static void xen_poweroff(void)
{
	struct sched_shutdown s = { .reason = SHUTDOWN_poweroff };

	pr_info("mxfault: SCHEDOP_shutdown(poweroff)\n");
	xen_hvc3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, PTR(&s), 0);
	pr_info("mxfault: still running after SCHEDOP_shutdown\n");
}

static long evtchn_op(int cmd, void *arg)
{
	return xen_hvc3(__HYPERVISOR_event_channel_op, cmd, PTR(arg), 0);
}

/*
 * shared_info mapped over a fresh RAM page (never freed: the page is
 * shared_info's place from now on), or NULL.
 */
static struct shared_info *map_shared_info(void)
{
	struct shared_info *s = (void *)get_zeroed_page(GFP_KERNEL);
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF, .space = XENMAPSPACE_shared_info,
	};
	long r = -ENOMEM;

	if (s) {
		xatp.gpfn = virt_to_phys(s) >> PAGE_SHIFT;
		r = add_to_physmap(&xatp);
	}
	check("shared_info mapped over a RAM page (a live block split)", r, 0);
	return r ? NULL : s;
}

static int pending(struct shared_info *s, evtchn_port_t port)
{
	return test_bit(port, (unsigned long *)s->evtchn_pending);
}

static void peer_a(void)
{
	struct shared_info *s = map_shared_info();
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF,
					   .remote_dom = peer };
	struct evtchn_status st = { .dom = DOMID_SELF };
	int i;

	if (!s)
		return;
	check("peer: alloc_unbound for the peer",
	      evtchn_op(EVTCHNOP_alloc_unbound, &au), 0);
	pr_info("mxfault: peer: port %u offered to domain %u\n", au.port,
		peer);
	for (i = 0; i < 500 && !pending(s, au.port); i++)
		msleep(20);
	check("peer: the peer's event is pending in shared_info",
	      pending(s, au.port), 1);
	st.port = au.port;
	check("peer: status of the port", evtchn_op(EVTCHNOP_status, &st), 0);
	check("... interdomain, to the peer",
	      st.status == EVTCHNSTAT_interdomain &&
	      st.u.interdomain.dom == peer, 1);
}

static void peer_b(void)
{
	struct evtchn_bind_interdomain bi = { .remote_dom = peer,
					      .remote_port = 1 };
	struct evtchn_send send;
	long r = -1;
	int i;

	for (i = 0; i < 1000 && r; i++) {
		r = evtchn_op(EVTCHNOP_bind_interdomain, &bi);
		if (r)
			msleep(20);
	}
	check("peer: bind_interdomain to the peer's port 1", r, 0);
	pr_info("mxfault: peer: bound local port %u to %u:1 after %d tries\n",
		bi.local_port, peer, i);
	send.port = bi.local_port;
	check("peer: send to the peer", evtchn_op(EVTCHNOP_send, &send), 0);
	bi.remote_port = 1;
	check("peer: binding the same port again: -EINVAL",
	      evtchn_op(EVTCHNOP_bind_interdomain, &bi), XEN_EINVAL);
}

static long bind_virq(u32 virq, evtchn_port_t *port)
{
	struct evtchn_bind_virq b = { .virq = virq, .vcpu = 0 };
	long r = evtchn_op(EVTCHNOP_bind_virq, &b);

	*port = r ? 0 : b.port;
	return r;
}

/* Events on a port, as Linux takes them: count and clear. */
struct virq_count {
	evtchn_port_t port;
	int events;
};

/*
 * The privileged domain: both global VIRQs bound on vCPU0 (its vcpu_info
 * is shared_info's first), a port offered to the peer; then take events
 * as Linux's 2-level upcall does (upcall_pending, then the selector
 * word, then the pending bits) until each VIRQ came once.
 */
static void virq_priv(struct shared_info *s)
{
	struct vcpu_info *vi = &s->vcpu_info[0];
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF,
					   .remote_dom = peer };
	struct virq_count exc = { 0 }, con = { 0 };
	evtchn_port_t again;
	int upcalls = 0, i;

	check("virq: bind VIRQ_DOM_EXC", bind_virq(VIRQ_DOM_EXC, &exc.port), 0);
	check("virq: bind VIRQ_CON_RING", bind_virq(VIRQ_CON_RING, &con.port),
	      0);
	check("virq: bind VIRQ_DOM_EXC again: -EEXIST",
	      bind_virq(VIRQ_DOM_EXC, &again), XEN_EEXIST);
	check("virq: alloc_unbound for the peer",
	      evtchn_op(EVTCHNOP_alloc_unbound, &au), 0);
	pr_info("mxfault: virq: DOM_EXC port %u, CON_RING port %u, port %u offered to domain %u\n",
		exc.port, con.port, au.port, peer);
	for (i = 0; i < wait * 50 && !(exc.events && con.events); i++) {
		if (xchg(&vi->evtchn_upcall_pending, 0)) {
			upcalls++;
			xchg(&vi->evtchn_pending_sel, 0);
		}
		if (exc.port && test_and_clear_bit(exc.port, (unsigned long *)
						   s->evtchn_pending))
			exc.events++;
		if (con.port && test_and_clear_bit(con.port, (unsigned long *)
						   s->evtchn_pending))
			con.events++;
		msleep(20);
	}
	pr_info("mxfault: virq: after %d ms: VIRQ_DOM_EXC %d, VIRQ_CON_RING %d events, %d upcalls\n",
		i * 20, exc.events, con.events, upcalls);
	check("virq: VIRQ_DOM_EXC came (the peer ended)", exc.events > 0, 1);
	check("virq: VIRQ_CON_RING came (console lines)", con.events > 0, 1);
	check("virq: with upcalls (evtchn_upcall_pending set)", upcalls > 0, 1);
}

/*
 * The peer: the global VIRQs bind here too but never come; wait until the
 * privileged domain offers its port, then write console lines.
 */
static void virq_unpriv(struct shared_info *s)
{
	static const char line[] = "MX-VIRQ line through console_io\n";
	struct evtchn_bind_interdomain bi = { .remote_dom = peer };
	evtchn_port_t exc, con;
	long r = -1;
	int i;

	check("virq: bind VIRQ_DOM_EXC, unprivileged (Xen: allowed)",
	      bind_virq(VIRQ_DOM_EXC, &exc), 0);
	check("virq: bind VIRQ_CON_RING, unprivileged (Xen: allowed)",
	      bind_virq(VIRQ_CON_RING, &con), 0);
	/* Its own ports and minixen's do not bind: only the offered one. */
	for (i = 0; i < 3000 && r; i++) {
		bi.remote_port = 1 + i % 16;
		r = evtchn_op(EVTCHNOP_bind_interdomain, &bi);
		if (r && bi.remote_port == 16)
			msleep(20);
	}
	check("virq: bound to the privileged domain's offered port", r, 0);
	pr_info("mxfault: virq: bound local port %u to %u:%u\n",
		bi.local_port, peer, bi.remote_port);
	check("virq: console_io(write)",
	      xen_hvc3(__HYPERVISOR_console_io, CONSOLEIO_write,
		       sizeof(line) - 1, PTR(line)), 0);
	msleep(1000);
	check("virq: VIRQ_CON_RING not raised here",
	      con && !pending(s, con), 1);
}

static int __init mxfault_init(void)
{
	void __iomem *p;

	if (!strcmp(mode, "spin")) {
		pr_info("mxfault: spinning with interrupts masked\n");
		local_irq_disable();
		for (;;)
			cpu_relax();
	}
	if (!strcmp(mode, "psci")) {
		/* never freed: vCPU2 runs (or rather faults) there for good */
		unsigned long page = get_zeroed_page(GFP_KERNEL);

		if (!page)
			return -ENOMEM;
		psci_checks(virt_to_phys((void *)page));
		mmio_checks();
		fault_loop_checks(virt_to_phys((void *)page));
		pr_info("mxfault: psci: %d passed, %d failed\n", passed, failed);
		/* Stay loaded: busybox insmod retries a failed finit_module. */
		return 0;
	}
	if (!strcmp(mode, "xen")) {
		xen_checks();
		pr_info("mxfault: xen: %d passed, %d failed\n", passed, failed);
		return 0;
	}
	if (!strcmp(mode, "peer")) {
		if (!strcmp(side, "a"))
			peer_a();
		else
			peer_b();
		pr_info("mxfault: peer: %d passed, %d failed\n", passed, failed);
		return 0;
	}
	if (!strcmp(mode, "virq")) {
		struct shared_info *s = map_shared_info();

		if (s && priv)
			virq_priv(s);
		else if (s)
			virq_unpriv(s);
		pr_info("mxfault: virq: %d passed, %d failed\n", passed, failed);
		return 0;
	}
	if (!strcmp(mode, "xenoff")) {
		xen_poweroff();
		return -EIO;
	}
	if (strcmp(mode, "read"))
		return -EINVAL;
	p = ioremap(addr, PAGE_SIZE);
	if (!p)
		return -ENOMEM;
	pr_info("mxfault: reading 0x%lx\n", addr);
	pr_info("mxfault: read 0x%x (no abort)\n", readl(p));
	iounmap(p);
	return -EIO;
}
module_init(mxfault_init);

/* mode=xen stays loaded; the test unloads it for mode=xenoff. */
static void __exit mxfault_exit(void)
{
}
module_exit(mxfault_exit);

MODULE_DESCRIPTION("minixen fault injection from inside a guest");
MODULE_LICENSE("GPL");
