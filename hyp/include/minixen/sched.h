/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Scheduler core: one global run queue of vCPUs, round robin by time of
 * last run, blocked vCPUs woken by events or a deadline. Pure code; the
 * caller holds the scheduler lock and drives the timer and IPIs.
 */
#ifndef MINIXEN_SCHED_H
#define MINIXEN_SCHED_H

#include <minixen/lib.h>

enum vcpu_state {
	VS_OFF,		/* not started (PSCI) or domain gone */
	VS_RUNNABLE,
	VS_RUNNING,
	VS_BLOCKED,	/* WFI: waiting for an interrupt or wake_at */
};

#define SCHED_NO_DEADLINE	(~0ULL)
#define SCHED_MAX_ENTS		64

struct sched_ent {
	enum vcpu_state state;
	int pcpu;		/* where it runs, when VS_RUNNING */
	u64 last_run;		/* sequence number of its last pick */
	u64 wake_at;		/* VS_BLOCKED: deadline, or SCHED_NO_DEADLINE */
	void *owner;
};

struct sched {
	struct sched_ent *ents[SCHED_MAX_ENTS];
	int nr;
	u64 seq;
};

int sched_add(struct sched *s, struct sched_ent *e, void *owner);
/*
 * Pick what @pcpu runs next. @cur (or NULL) is what it ran so far, still
 * VS_RUNNING if it could go on; it keeps the CPU only if nothing else is
 * runnable. Returns NULL to idle.
 */
struct sched_ent *sched_pick(struct sched *s, int pcpu, struct sched_ent *cur);
/* @cur gives the CPU up in @state (VS_BLOCKED with @wake_at, VS_OFF...). */
void sched_stop(struct sched_ent *cur, enum vcpu_state state, u64 wake_at);
/* Blocked -> runnable. True if it changed. */
bool sched_wake(struct sched_ent *e);
/* Wake blocked entries whose deadline passed; returns how many. */
int sched_expire(struct sched *s, u64 now);
/* Earliest deadline among blocked entries. */
u64 sched_next_deadline(const struct sched *s);
/* Is any entry runnable and waiting for a CPU? */
bool sched_has_waiting(const struct sched *s);

#endif
