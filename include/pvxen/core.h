/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pvxen: what pvxen-core.ko exports to the other pvxen modules.
 */
#ifndef _PVXEN_CORE_H
#define _PVXEN_CORE_H

#include <pvxen/xlate.h>

struct device;

int pvxen_dma_table_from_dev(struct device *dev, struct pvxen_dma_range *buf,
			     unsigned int max, struct pvxen_dma_table *out);

#endif /* _PVXEN_CORE_H */
