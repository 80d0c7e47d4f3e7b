// SPDX-License-Identifier: GPL-2.0-only
/*
 * Guest virtual addresses to host memory: AT S12E1R / AT S12E1W walk the
 * running vCPU's stage 1 and stage 2 as the guest's own access would, and
 * PAR_EL1 says where it lands. PAR_EL1 is the guest's register: saved and
 * restored around each use. Only normal memory within minixen's identity
 * map is touched; stage 2 maps nothing but what the domain may access.
 * See guest_access.h for the contract.
 */
#include <minixen/domain.h>
#include <minixen/guest_access.h>
#include <minixen/vcpu.h>
#include <arch/sysregs.h>

#define PAR_F		BIT(0)
#define PAR_PA_MASK	0x0000fffffffff000UL
#define PAR_ATTR(par)	((par) >> 56)
/* minixen's identity map: normal memory from 1 GiB to 256 GiB (mmu.c) */
#define HYP_NORMAL_START	SZ_1G
#define HYP_NORMAL_END		(256 * SZ_1G)

/* Host physical address of @gva for the running vCPU, or -EFAULT. */
static int gva_to_pa(u64 gva, bool write, u64 *pa)
{
	u64 saved = read_sysreg(par_el1), par;

	if (write)
		asm volatile("at s12e1w, %0" : : "r" (gva) : "memory");
	else
		asm volatile("at s12e1r, %0" : : "r" (gva) : "memory");
	isb();
	par = read_sysreg(par_el1);
	write_sysreg(par_el1, saved);
	if (par & PAR_F)
		return -XEN_EFAULT;
	/* Device memory (ATTR 0b0000xxxx) is never copied to or from. */
	if (!(PAR_ATTR(par) & 0xf0))
		return -XEN_EFAULT;
	*pa = (par & PAR_PA_MASK) | (gva & (XEN_PAGE_SIZE - 1));
	if (*pa < HYP_NORMAL_START || *pa >= HYP_NORMAL_END)
		return -XEN_EFAULT;
	return 0;
}

static int copy_guest(struct vcpu *v, u64 gva, void *buf, size_t len,
		      bool write)
{
	struct domain *d = v->d;
	u8 *p = buf;
	u64 pa;
	size_t n;
	int r = 0;

	if (gva + len < gva)
		return -XEN_EFAULT;
	while (len) {
		n = MIN(len, XEN_PAGE_SIZE - (gva & (XEN_PAGE_SIZE - 1)));
		spin_lock(p2m_lock(d));
		r = gva_to_pa(gva, write, &pa);
		if (!r) {
			if (write)
				memcpy((void *)(uintptr_t)pa, p, n);
			else
				memcpy(p, (const void *)(uintptr_t)pa, n);
		}
		spin_unlock(p2m_lock(d));
		if (r)
			return r;
		gva += n;
		p += n;
		len -= n;
	}
	return 0;
}

int copy_from_guest(struct vcpu *v, void *dst, u64 gva, size_t len)
{
	return copy_guest(v, gva, dst, len, false);
}

int copy_to_guest(struct vcpu *v, u64 gva, const void *src, size_t len)
{
	return copy_guest(v, gva, (void *)src, len, true);
}
