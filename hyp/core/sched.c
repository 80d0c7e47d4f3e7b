// SPDX-License-Identifier: GPL-2.0-only
/*
 * Scheduler core: round robin over a global run queue.
 */
#include <minixen/sched.h>

int sched_add(struct sched *s, struct sched_ent *e, void *owner)
{
	if (s->nr >= SCHED_MAX_ENTS)
		return -1;
	e->state = VS_OFF;
	e->pcpu = -1;
	e->last_run = 0;
	e->wake_at = SCHED_NO_DEADLINE;
	e->owner = owner;
	s->ents[s->nr++] = e;
	return 0;
}

struct sched_ent *sched_pick(struct sched *s, int pcpu, struct sched_ent *cur)
{
	struct sched_ent *best = NULL;
	int i;

	for (i = 0; i < s->nr; i++) {
		struct sched_ent *e = s->ents[i];

		if (e->state != VS_RUNNABLE)
			continue;
		if (!best || e->last_run < best->last_run)
			best = e;
	}
	if (!best) {
		if (cur && cur->state == VS_RUNNING)
			return cur;
		return NULL;
	}
	if (cur && cur->state == VS_RUNNING)
		cur->state = VS_RUNNABLE;
	best->state = VS_RUNNING;
	best->pcpu = pcpu;
	best->last_run = ++s->seq;
	return best;
}

void sched_stop(struct sched_ent *cur, enum vcpu_state state, u64 wake_at)
{
	cur->state = state;
	cur->pcpu = -1;
	cur->wake_at = state == VS_BLOCKED ? wake_at : SCHED_NO_DEADLINE;
}

bool sched_wake(struct sched_ent *e)
{
	if (e->state != VS_BLOCKED)
		return false;
	e->state = VS_RUNNABLE;
	e->wake_at = SCHED_NO_DEADLINE;
	return true;
}

int sched_expire(struct sched *s, u64 now)
{
	int i, n = 0;

	for (i = 0; i < s->nr; i++) {
		struct sched_ent *e = s->ents[i];

		if (e->state == VS_BLOCKED && e->wake_at <= now)
			n += sched_wake(e);
	}
	return n;
}

u64 sched_next_deadline(const struct sched *s)
{
	u64 d = SCHED_NO_DEADLINE;
	int i;

	for (i = 0; i < s->nr; i++)
		if (s->ents[i]->state == VS_BLOCKED &&
		    s->ents[i]->wake_at < d)
			d = s->ents[i]->wake_at;
	return d;
}

bool sched_has_waiting(const struct sched *s)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (s->ents[i]->state == VS_RUNNABLE)
			return true;
	return false;
}
