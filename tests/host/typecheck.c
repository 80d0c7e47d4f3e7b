// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiled once as is (must build) and once per MIX=n (must NOT build):
 * the typed values of xlate.h make mixing address spaces a compile error.
 */
#include <pvxen/xlate.h>

#ifndef MIX
#define MIX 0
#endif

u64 pvxen_typecheck(const struct pvxen_dma_table *t)
{
	struct pvxen_paddr pa = pvxen_mk_paddr(0x1000);
	struct pvxen_baddr ba = pvxen_mk_baddr(0x1000);
	struct pvxen_dma_addr d;
	u64 r = 0;

#if MIX == 0
	r += pvxen_pfn_to_paddr(pvxen_mk_pfn(1)).paddr;
	r += pvxen_baddr_to_dma(t, ba).dma;
	d = pvxen_baddr_to_dma(t, pvxen_bfn_to_baddr(pvxen_mk_bfn(1)));
	r += pvxen_dma_to_baddr(t, pvxen_mk_dma(0xc0000000)).baddr;
	r += pvxen_dma_val(d) + pa.paddr;
#elif MIX == 1
	/* a machine frame where a guest frame is expected */
	r += pvxen_pfn_to_paddr(pvxen_mk_bfn(1)).paddr;
#elif MIX == 2
	/* a guest-physical address handed to the device layer */
	r += pvxen_baddr_to_dma(t, pa).dma + ba.baddr;
#elif MIX == 3
	/* a machine address used as a DMA address */
	d = pvxen_bfn_to_baddr(pvxen_mk_bfn(1));
	r += d.dma + pa.paddr;
#elif MIX == 4
	/* a raw integer where a typed DMA address is expected */
	r += pvxen_dma_to_baddr(t, 0xc0000000).baddr + pa.paddr + ba.baddr;
#elif MIX == 5
	/* a typed DMA address where a raw integer is expected */
	d = pvxen_baddr_to_dma(t, ba);
	r = d + pa.paddr;
#endif
	return r;
}
