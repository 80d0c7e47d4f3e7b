/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen-core: event-channel internals shared by drivers/core/events*.c.
 */
#ifndef _PVXEN_EVENTS_INTERNAL_H
#define _PVXEN_EVENTS_INTERNAL_H

struct vcpu_info;

int pvxen_vcpu_store_init(void);
int pvxen_vcpu_info_setup(unsigned int cpu, struct vcpu_info **vi);
unsigned int pvxen_vcpu_info_registered(void);

#endif /* _PVXEN_EVENTS_INTERNAL_H */
