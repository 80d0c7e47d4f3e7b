/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * PSCI as guests see it (core/vpsci.c): function IDs and return codes of
 * the PSCI ABI (also what arch/arm64 asks the host firmware with).
 */
#ifndef MINIXEN_VPSCI_H
#define MINIXEN_VPSCI_H

#include <minixen/lib.h>

struct vcpu;

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define PSCI_64			0x40000000
#define SMCCC_VERSION		0x80000000

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	-1
#define PSCI_INVALID_PARAMS	-2
#define PSCI_ALREADY_ON		-4
#define PSCI_INVALID_ADDRESS	-9
/* target_cpu: Aff3 in [39:32], Aff2..0 in [23:0], other bits zero */
#define PSCI_AFF_MASK		0xff00ffffffUL

/*
 * Guest PSCI/SMCCC call in @v's x0..x3 (result in x0), over HVC or SMC
 * (@smc). True if the vCPU must give up its physical CPU: it went off,
 * or its domain did.
 */
bool vpsci_call(struct vcpu *v, bool smc);

#endif
