// SPDX-License-Identifier: GPL-2.0-only
/* Host unit tests: run queue (hyp/core/sched.c). */
#include <minixen/sched.h>
#include "tap.h"

int main(void)
{
	struct sched s = { 0 };
	struct sched_ent e[4];
	struct sched_ent *a, *b, *c;
	int i;

	for (i = 0; i < 4; i++)
		ok(!sched_add(&s, &e[i], &e[i]) && e[i].state == VS_OFF,
		   "add entry %d, starts off", i);
	ok(!sched_pick(&s, 0, NULL), "nothing runnable: idle");

	e[0].state = VS_RUNNABLE;
	e[1].state = VS_RUNNABLE;
	a = sched_pick(&s, 0, NULL);
	b = sched_pick(&s, 1, NULL);
	ok(a == &e[0] && b == &e[1] && a->state == VS_RUNNING && b->pcpu == 1,
	   "two CPUs pick the two runnable entries");
	ok(!sched_pick(&s, 2, NULL), "third CPU idles");
	ok(sched_pick(&s, 0, a) == a && a->state == VS_RUNNING,
	   "running entry keeps its CPU when nobody waits");

	e[2].state = VS_RUNNABLE;
	ok(sched_has_waiting(&s), "a runnable entry is waiting");
	c = sched_pick(&s, 0, a);
	ok(c == &e[2] && a->state == VS_RUNNABLE, "preemption: waiting entry runs, old one queued");
	sched_stop(b, VS_RUNNABLE, 0);
	ok(sched_pick(&s, 1, NULL) == &e[0],
	   "round robin: least recently run goes first");
	ok(sched_pick(&s, 2, NULL) == &e[1], "then the next");

	sched_stop(&e[1], VS_BLOCKED, 1000);
	sched_stop(&e[0], VS_BLOCKED, 500);
	ok(sched_next_deadline(&s) == 500, "earliest deadline among blocked");
	ok(sched_expire(&s, 499) == 0 && e[0].state == VS_BLOCKED, "not yet expired");
	ok(sched_expire(&s, 700) == 1 && e[0].state == VS_RUNNABLE &&
	   e[1].state == VS_BLOCKED, "deadline passed: woken");
	ok(sched_wake(&e[1]) && e[1].state == VS_RUNNABLE &&
	   e[1].wake_at == SCHED_NO_DEADLINE, "event wakes a blocked entry");
	ok(!sched_wake(&e[1]), "waking a runnable entry does nothing");
	sched_stop(&e[3], VS_BLOCKED, SCHED_NO_DEADLINE);
	ok(sched_next_deadline(&s) == SCHED_NO_DEADLINE,
	   "blocked without deadline: no timer needed");
	sched_stop(&e[2], VS_OFF, 0);
	ok(!sched_wake(&e[2]) && e[2].state == VS_OFF, "off entries are not woken");

	/* Fairness: 3 entries, 1 CPU, 30 rounds: 10 each. */
	{
		struct sched s2 = { 0 };
		struct sched_ent f[3], *cur = NULL;
		int count[3] = { 0 };

		for (i = 0; i < 3; i++) {
			sched_add(&s2, &f[i], NULL);
			f[i].state = VS_RUNNABLE;
		}
		for (i = 0; i < 30; i++) {
			cur = sched_pick(&s2, 0, cur);
			count[cur - f]++;
		}
		ok(count[0] == 10 && count[1] == 10 && count[2] == 10,
		   "3 vCPUs on 1 CPU share it evenly (%d %d %d)",
		   count[0], count[1], count[2]);
	}
	return tap_done();
}
