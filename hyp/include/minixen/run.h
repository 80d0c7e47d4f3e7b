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

/* Each CPU, once set up: runs vCPUs for ever. */
void pcpu_run(void) __noreturn;
/* Something became runnable: kick the idle CPUs. */
void sched_kick_idle(void);
/* This CPU's slice timer fired (from its interrupt). */
void run_tick(void);

#endif
