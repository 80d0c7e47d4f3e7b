/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The vCPU run loop of each physical CPU (core/run.c) over the global run
 * queue (sched.h), and the kicks that wake or interrupt vCPUs.
 */
#ifndef MINIXEN_RUN_H
#define MINIXEN_RUN_H

#include <minixen/config.h>
#include <minixen/lib.h>
#include <minixen/sched.h>

struct hc_call;
struct vcpu;

/* A physical CPU as the run loop sees it. */
struct run_cpu {
	struct vcpu *cur;	/* the vCPU it runs, or NULL */
	bool idle;		/* nothing to run: kick it when there is */
	bool resched;		/* its time slice ended: run_tick() */
};

extern struct run_cpu run_cpus[MAX_PCPUS];
extern u32 nr_pcpus;
extern struct sched sched;
extern struct mx_lock sched_lock;	/* sched, vCPU states, domain liveness */

/* What ends a vCPU's turn on its CPU. */
enum run_result { RUN_PREEMPT, RUN_WFI, RUN_OFF };

/*
 * @v's Xen hypercall @c returned (its result is in @v's registers; the
 * arch re-issues an HC_CONTINUE itself): what @c->next means for the run
 * loop, RUN_* if @v stops running here, or -1 to go on. HC_BLOCK returns
 * at once while an event upcall is pending; HC_BLOCK and HC_POLL set
 * v->block_until from @c->wake_ns, HC_POLL sets v->in_poll.
 */
int run_hypercall_next(struct vcpu *v, const struct hc_call *c);
/* Each CPU, once set up: runs vCPUs for ever. */
void pcpu_run(void) __noreturn;
/* Something became runnable: kick the idle CPUs. */
void sched_kick_idle(void);
/* This CPU's slice timer fired (from its interrupt). */
void run_tick(void);

#endif
