// SPDX-License-Identifier: GPL-2.0-only
/*
 * Translation unit compiled with -ffreestanding -nostdlib -nostdinc for
 * aarch64 (as minixen at EL2 would) and for the host: every function of
 * xlate.h is used, so its code is generated and must need no library.
 */
#include <pvxen/xlate.h>

struct fs_ctx {
	u64 base;
};

static struct pvxen_bfn fs_lookup(void *ctx, struct pvxen_pfn p)
{
	const struct fs_ctx *c = ctx;

	return pvxen_mk_bfn(pvxen_pfn_val(p) + c->base);
}

u64 pvxen_freestanding_check(const struct pvxen_dma_table *t, u64 a, u64 len)
{
	struct pvxen_dma_table id = pvxen_dma_table_identity(a);
	struct fs_ctx ctx = { .base = len };
	struct pvxen_paddr pa = pvxen_mk_paddr(a);
	struct pvxen_baddr ba;
	struct pvxen_dma_addr d;
	enum pvxen_dma_table_err e = pvxen_dma_table_validate(t);
	u64 r = 0;

	r += e + pvxen_dma_table_validate(&id);
	r += (unsigned char)pvxen_dma_table_err_str(e)[0];
	ba = pvxen_paddr_to_baddr(pa, fs_lookup, &ctx);
	d = pvxen_baddr_to_dma(t, ba);
	r += pvxen_dma_val(d) + pvxen_dma_is_error(d);
	r += pvxen_baddr_val(pvxen_dma_to_baddr(t, d));
	r += pvxen_dma_val(pvxen_paddr_to_dma(t, pa, fs_lookup, &ctx));
	r += pvxen_dma_val(pvxen_paddr_to_dma(t, pa, pvxen_bfn_lookup_identity,
					      NULL));
	r += pvxen_dma_capable(t, ba, len);
	r += pvxen_paddr_machine_contiguous(pa, len, fs_lookup, &ctx);
	r += pvxen_paddr_dma_capable(t, pa, len, fs_lookup, &ctx);
	r += pvxen_baddr_val(pvxen_paddr_buf_to_baddr(pa, len, fs_lookup,
						      &ctx));
	r += pvxen_paddr_val(pvxen_pfn_to_paddr(pvxen_paddr_to_pfn(pa)));
	r += pvxen_paddr_page_offset(pa) + pvxen_baddr_page_offset(ba);
	r += pvxen_baddr_val(pvxen_bfn_to_baddr(pvxen_baddr_to_bfn(ba)));
	r += pvxen_baddr_val(pvxen_bfn_to_baddr_off(pvxen_mk_bfn(a), len));
	r += pvxen_pfn_is_invalid(pvxen_pfn_invalid());
	r += pvxen_bfn_is_invalid(pvxen_bfn_invalid());
	r += pvxen_bfn_val(pvxen_bfn_lookup_identity(NULL, pvxen_mk_pfn(a)));
	r += pvxen_paddr_is_error(pvxen_paddr_error());
	r += pvxen_baddr_is_error(pvxen_baddr_error());
	r += pvxen_dma_is_error(pvxen_dma_error());
	r += pvxen_dma_val(pvxen_mk_dma(PVXEN_XEN_PAGE_SIZE));
	return r;
}
