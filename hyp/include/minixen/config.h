/* SPDX-License-Identifier: GPL-2.0-only */
/* minixen build-time limits, shared by C and assembly. */
#ifndef MINIXEN_CONFIG_H
#define MINIXEN_CONFIG_H

#define MAX_PCPUS		8
#define HYP_STACK_SHIFT		14	/* 16 KiB per physical CPU */
#define MAX_DOMAINS		8
#define MAX_VCPUS		8	/* per domain */
#define MAX_MODULES		16
/*
 * Stage-2 table pages a domain may make minixen allocate after boot (grant
 * maps, physmap changes): 64 distinct 2 MiB regions beyond its RAM.
 */
#define S2_GUEST_TABLES		64

/* Exit codes of guest_enter() */
#define EXIT_SYNC		0
#define EXIT_IRQ		1
#define EXIT_FIQ		2
#define EXIT_SERROR		3
#define EXIT_BAD		4

#endif
