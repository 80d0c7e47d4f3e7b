/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Guest memory: the one way minixen reads or writes what a guest passes
 * by pointer. Every hypercall argument, ring or table in guest memory
 * goes through these (grant tables, event channels, xenstore included).
 *
 * copy_from_guest() / copy_to_guest(): @gva is a guest *virtual* address
 * of the calling vCPU @v, which must be the vCPU running on this CPU (its
 * stage 1 is live: hypercall and trap handlers). Each page is translated
 * through the guest's stage 1 and stage 2 (AT S12E1R / AT S12E1W), so a
 * write needs a writable mapping at both stages; the result must be
 * normal memory. Returns 0, or -XEN_EFAULT on any fault, unmapped page,
 * MMIO or wrap-around: then part of the copy may have been done, never
 * beyond the first bad page. Buffers may cross pages; a length is never
 * trusted, the caller bounds it.
 *
 * guest_phys_ptr(): a pointer to guest *physical* range [gpa, gpa + len)
 * of @d, within one 4 KiB page, mapped in @d's stage 2 (writable if
 * @write) and part of @d's own RAM or its shared_info page; NULL
 * otherwise. Memory of @d's that stays @d's for good: fine to keep (a
 * registered vcpu_info), unlike a frame mapped from another domain.
 *
 * The stage-2 lock (p2m_lock(d), domain.h) is held during each page's
 * translation and copy: physmap changes (physmap.h) take it too.
 */
#ifndef MINIXEN_GUEST_ACCESS_H
#define MINIXEN_GUEST_ACCESS_H

#include <minixen/lib.h>

struct vcpu;
struct domain;

int copy_from_guest(struct vcpu *v, void *dst, u64 gva, size_t len);
int copy_to_guest(struct vcpu *v, u64 gva, const void *src, size_t len);
void *guest_phys_ptr(struct domain *d, u64 gpa, size_t len, bool write);

#endif
