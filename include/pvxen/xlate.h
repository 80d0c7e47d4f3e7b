/* SPDX-License-Identifier: GPL-2.0-only OR MIT */
/*
 * pvxen address translation core.
 *
 * Three address spaces, each with its own type so that the compiler rejects
 * passing one where another is expected:
 *
 *   guest-physical   struct pvxen_pfn / struct pvxen_paddr
 *        |  pfn -> bfn lookup callback (p2m override, identity otherwise)
 *        v
 *   machine ("bus")  struct pvxen_bfn / struct pvxen_baddr
 *        |  device range table (struct pvxen_dma_table)
 *        v
 *   device DMA       struct pvxen_dma_addr
 *
 * Frames are always Xen frames of 4 KiB, whatever the kernel's PAGE_SIZE.
 *
 * Errors: every conversion that can fail returns the all-ones value of its
 * result type (PVXEN_XLATE_ERROR); test it with the pvxen_*_is_error() /
 * pvxen_*_is_invalid() predicates.  Consequently the all-ones address is
 * never a valid byte address in any space: a range may end at 2^64 - 1, but
 * that last byte never translates.  A frame number is valid only if its
 * address fits in 64 bits (at most PVXEN_XEN_FRAME_MAX).
 *
 * Buffers: a buffer is (start, len).  It is well formed if len > 0, it does
 * not wrap past 2^64 - 1 and its last byte is not the all-ones address.
 * Every buffer predicate here returns false for a buffer that is not well
 * formed, in particular for len == 0: a zero-length DMA mapping is a caller
 * bug and is refused rather than vacuously accepted.
 *
 * Range tables: see struct pvxen_dma_table.  nr == 0 means identity (DMA
 * address == machine address), bounded only by dma_limit, as a device
 * without dma-ranges; pvxen_dma_table_identity() builds one.
 *
 * Everything is static inline, uses no libc and no division, and builds in
 * the kernel (__KERNEL__), in freestanding EL2 code and on the host.
 * Freestanding users that already define u64 (as a 64-bit unsigned type)
 * may define PVXEN_HAVE_U64 before including this file.
 */
#ifndef PVXEN_XLATE_H
#define PVXEN_XLATE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/stddef.h>
#else
#include <stdbool.h>
#include <stddef.h>
#ifndef PVXEN_HAVE_U64
#define PVXEN_HAVE_U64
typedef __UINT64_TYPE__ u64;
#endif
#endif

#define PVXEN_XEN_PAGE_SHIFT	12
#define PVXEN_XEN_PAGE_SIZE	((u64)1 << PVXEN_XEN_PAGE_SHIFT)
#define PVXEN_XEN_PAGE_MASK	(~(PVXEN_XEN_PAGE_SIZE - 1))
/* Highest frame number whose first byte address fits in 64 bits. */
#define PVXEN_XEN_FRAME_MAX	(~(u64)0 >> PVXEN_XEN_PAGE_SHIFT)

/* The one error value, shared by every type below. */
#define PVXEN_XLATE_ERROR	(~(u64)0)
#define PVXEN_PFN_INVALID	PVXEN_XLATE_ERROR
#define PVXEN_BFN_INVALID	PVXEN_XLATE_ERROR
#define PVXEN_PADDR_ERROR	PVXEN_XLATE_ERROR
#define PVXEN_BADDR_ERROR	PVXEN_XLATE_ERROR
#define PVXEN_DMA_ERROR		PVXEN_XLATE_ERROR

/* Upper bound on ranges per table; keeps validation O(nr^2) small. */
#define PVXEN_DMA_TABLE_MAX_RANGES	64

/**
 * struct pvxen_pfn - guest-physical 4 KiB frame number (IPA >> 12).
 * @pfn: raw frame number
 */
struct pvxen_pfn {
	u64 pfn;
};

/**
 * struct pvxen_bfn - machine ("bus") 4 KiB frame number.
 * @bfn: raw frame number
 */
struct pvxen_bfn {
	u64 bfn;
};

/**
 * struct pvxen_paddr - guest-physical byte address.
 * @paddr: raw address
 */
struct pvxen_paddr {
	u64 paddr;
};

/**
 * struct pvxen_baddr - machine ("bus") byte address, host-physical.
 * @baddr: raw address
 */
struct pvxen_baddr {
	u64 baddr;
};

/**
 * struct pvxen_dma_addr - address a device puts on its bus.
 * @dma: raw address
 */
struct pvxen_dma_addr {
	u64 dma;
};

/**
 * struct pvxen_dma_range - one dma-ranges entry of a device.
 * @cpu_start: first machine address (struct pvxen_baddr) of the range
 * @bus_start: DMA address the device uses for @cpu_start
 * @size: length in bytes, non-zero; neither side may wrap past 2^64 - 1
 *
 * Machine address cpu_start + i is seen by the device as bus_start + i for
 * 0 <= i < size.  bus_start may be above or below cpu_start.
 */
struct pvxen_dma_range {
	u64 cpu_start;
	u64 bus_start;
	u64 size;
};

/**
 * struct pvxen_dma_table - how one device sees machine memory.
 * @ranges: @nr ranges, non-overlapping on both sides, in any order
 * @nr: number of ranges; 0 means identity (DMA address == machine address)
 * @dma_limit: highest DMA address the device can emit, inclusive (from its
 *	DMA mask and bus limit)
 *
 * Check a table once with pvxen_dma_table_validate() before use.  The
 * conversions never wrap or read out of bounds on any table, but only a
 * valid table guarantees a unique answer.
 */
struct pvxen_dma_table {
	const struct pvxen_dma_range *ranges;
	unsigned int nr;
	u64 dma_limit;
};

/**
 * enum pvxen_dma_table_err - result of pvxen_dma_table_validate().
 * @PVXEN_DMA_TABLE_OK: table is valid
 * @PVXEN_DMA_TABLE_ENORANGES: table pointer NULL, or @nr > 0 with NULL ranges
 * @PVXEN_DMA_TABLE_ETOOMANY: more than PVXEN_DMA_TABLE_MAX_RANGES ranges
 * @PVXEN_DMA_TABLE_EZEROSIZE: a range has size 0
 * @PVXEN_DMA_TABLE_ECPUWRAP: a range wraps past 2^64 - 1 on the machine side
 * @PVXEN_DMA_TABLE_EBUSWRAP: a range wraps past 2^64 - 1 on the DMA side
 * @PVXEN_DMA_TABLE_ECPUOVERLAP: two ranges overlap on the machine side
 * @PVXEN_DMA_TABLE_EBUSOVERLAP: two ranges overlap on the DMA side
 */
enum pvxen_dma_table_err {
	PVXEN_DMA_TABLE_OK = 0,
	PVXEN_DMA_TABLE_ENORANGES,
	PVXEN_DMA_TABLE_ETOOMANY,
	PVXEN_DMA_TABLE_EZEROSIZE,
	PVXEN_DMA_TABLE_ECPUWRAP,
	PVXEN_DMA_TABLE_EBUSWRAP,
	PVXEN_DMA_TABLE_ECPUOVERLAP,
	PVXEN_DMA_TABLE_EBUSOVERLAP,
};

/*
 * pfn -> bfn lookup.  Returns the machine frame backing a guest frame, or
 * an invalid bfn (see pvxen_bfn_is_invalid()) if there is none.
 */
typedef struct pvxen_bfn (*pvxen_bfn_lookup_fn)(void *ctx,
						struct pvxen_pfn pfn);

/* ---- typed values -------------------------------------------------- */

/**
 * pvxen_mk_pfn() - Make a typed guest frame number.
 * @v: raw frame number
 *
 * Return: @v as a struct pvxen_pfn.
 */
static inline struct pvxen_pfn pvxen_mk_pfn(u64 v)
{
	return (struct pvxen_pfn){ .pfn = v };
}

/**
 * pvxen_pfn_val() - Raw value of a guest frame number.
 * @p: frame number
 *
 * Return: the raw frame number.
 */
static inline u64 pvxen_pfn_val(struct pvxen_pfn p)
{
	return p.pfn;
}

/**
 * pvxen_pfn_invalid() - The invalid guest frame number.
 *
 * Return: a struct pvxen_pfn holding PVXEN_PFN_INVALID.
 */
static inline struct pvxen_pfn pvxen_pfn_invalid(void)
{
	return pvxen_mk_pfn(PVXEN_PFN_INVALID);
}

/**
 * pvxen_pfn_is_invalid() - Test a guest frame number for validity.
 * @p: frame number
 *
 * Return: true if @p is PVXEN_PFN_INVALID or too large for its address to
 * fit in 64 bits.
 */
static inline bool pvxen_pfn_is_invalid(struct pvxen_pfn p)
{
	return p.pfn > PVXEN_XEN_FRAME_MAX;
}

/**
 * pvxen_mk_bfn() - Make a typed machine frame number.
 * @v: raw frame number
 *
 * Return: @v as a struct pvxen_bfn.
 */
static inline struct pvxen_bfn pvxen_mk_bfn(u64 v)
{
	return (struct pvxen_bfn){ .bfn = v };
}

/**
 * pvxen_bfn_val() - Raw value of a machine frame number.
 * @b: frame number
 *
 * Return: the raw frame number.
 */
static inline u64 pvxen_bfn_val(struct pvxen_bfn b)
{
	return b.bfn;
}

/**
 * pvxen_bfn_invalid() - The invalid machine frame number.
 *
 * Return: a struct pvxen_bfn holding PVXEN_BFN_INVALID.
 */
static inline struct pvxen_bfn pvxen_bfn_invalid(void)
{
	return pvxen_mk_bfn(PVXEN_BFN_INVALID);
}

/**
 * pvxen_bfn_is_invalid() - Test a machine frame number for validity.
 * @b: frame number
 *
 * Return: true if @b is PVXEN_BFN_INVALID or too large for its address to
 * fit in 64 bits.
 */
static inline bool pvxen_bfn_is_invalid(struct pvxen_bfn b)
{
	return b.bfn > PVXEN_XEN_FRAME_MAX;
}

/**
 * pvxen_mk_paddr() - Make a typed guest-physical address.
 * @v: raw address
 *
 * Return: @v as a struct pvxen_paddr.
 */
static inline struct pvxen_paddr pvxen_mk_paddr(u64 v)
{
	return (struct pvxen_paddr){ .paddr = v };
}

/**
 * pvxen_paddr_val() - Raw value of a guest-physical address.
 * @a: address
 *
 * Return: the raw address.
 */
static inline u64 pvxen_paddr_val(struct pvxen_paddr a)
{
	return a.paddr;
}

/**
 * pvxen_paddr_error() - The guest-physical error address.
 *
 * Return: a struct pvxen_paddr holding PVXEN_PADDR_ERROR.
 */
static inline struct pvxen_paddr pvxen_paddr_error(void)
{
	return pvxen_mk_paddr(PVXEN_PADDR_ERROR);
}

/**
 * pvxen_paddr_is_error() - Test for the guest-physical error address.
 * @a: address
 *
 * Return: true if @a is PVXEN_PADDR_ERROR.
 */
static inline bool pvxen_paddr_is_error(struct pvxen_paddr a)
{
	return a.paddr == PVXEN_PADDR_ERROR;
}

/**
 * pvxen_mk_baddr() - Make a typed machine address.
 * @v: raw address
 *
 * Return: @v as a struct pvxen_baddr.
 */
static inline struct pvxen_baddr pvxen_mk_baddr(u64 v)
{
	return (struct pvxen_baddr){ .baddr = v };
}

/**
 * pvxen_baddr_val() - Raw value of a machine address.
 * @a: address
 *
 * Return: the raw address.
 */
static inline u64 pvxen_baddr_val(struct pvxen_baddr a)
{
	return a.baddr;
}

/**
 * pvxen_baddr_error() - The machine error address.
 *
 * Return: a struct pvxen_baddr holding PVXEN_BADDR_ERROR.
 */
static inline struct pvxen_baddr pvxen_baddr_error(void)
{
	return pvxen_mk_baddr(PVXEN_BADDR_ERROR);
}

/**
 * pvxen_baddr_is_error() - Test for the machine error address.
 * @a: address
 *
 * Return: true if @a is PVXEN_BADDR_ERROR.
 */
static inline bool pvxen_baddr_is_error(struct pvxen_baddr a)
{
	return a.baddr == PVXEN_BADDR_ERROR;
}

/**
 * pvxen_mk_dma() - Make a typed DMA address.
 * @v: raw address
 *
 * Return: @v as a struct pvxen_dma_addr.
 */
static inline struct pvxen_dma_addr pvxen_mk_dma(u64 v)
{
	return (struct pvxen_dma_addr){ .dma = v };
}

/**
 * pvxen_dma_val() - Raw value of a DMA address.
 * @d: address
 *
 * Return: the raw address, to program into the device.
 */
static inline u64 pvxen_dma_val(struct pvxen_dma_addr d)
{
	return d.dma;
}

/**
 * pvxen_dma_error() - The DMA error address.
 *
 * Return: a struct pvxen_dma_addr holding PVXEN_DMA_ERROR.
 */
static inline struct pvxen_dma_addr pvxen_dma_error(void)
{
	return pvxen_mk_dma(PVXEN_DMA_ERROR);
}

/**
 * pvxen_dma_is_error() - Test for the DMA error address.
 * @d: address
 *
 * Return: true if @d is PVXEN_DMA_ERROR.
 */
static inline bool pvxen_dma_is_error(struct pvxen_dma_addr d)
{
	return d.dma == PVXEN_DMA_ERROR;
}

/* ---- frames and addresses ------------------------------------------ */

/**
 * pvxen_pfn_to_paddr() - Address of the first byte of a guest frame.
 * @p: guest frame number
 *
 * Return: the address, or the error address if @p is invalid.
 */
static inline struct pvxen_paddr pvxen_pfn_to_paddr(struct pvxen_pfn p)
{
	if (pvxen_pfn_is_invalid(p))
		return pvxen_paddr_error();
	return pvxen_mk_paddr(p.pfn << PVXEN_XEN_PAGE_SHIFT);
}

/**
 * pvxen_paddr_to_pfn() - Guest frame containing a guest-physical address.
 * @a: address
 *
 * Return: the frame number, or the invalid frame if @a is the error address.
 */
static inline struct pvxen_pfn pvxen_paddr_to_pfn(struct pvxen_paddr a)
{
	if (pvxen_paddr_is_error(a))
		return pvxen_pfn_invalid();
	return pvxen_mk_pfn(a.paddr >> PVXEN_XEN_PAGE_SHIFT);
}

/**
 * pvxen_paddr_page_offset() - Offset of a guest address in its 4 KiB frame.
 * @a: address
 *
 * Return: @a modulo PVXEN_XEN_PAGE_SIZE.
 */
static inline u64 pvxen_paddr_page_offset(struct pvxen_paddr a)
{
	return a.paddr & ~PVXEN_XEN_PAGE_MASK;
}

/**
 * pvxen_bfn_to_baddr() - Address of the first byte of a machine frame.
 * @b: machine frame number
 *
 * Return: the address, or the error address if @b is invalid.
 */
static inline struct pvxen_baddr pvxen_bfn_to_baddr(struct pvxen_bfn b)
{
	if (pvxen_bfn_is_invalid(b))
		return pvxen_baddr_error();
	return pvxen_mk_baddr(b.bfn << PVXEN_XEN_PAGE_SHIFT);
}

/**
 * pvxen_bfn_to_baddr_off() - Machine address of a byte inside a frame.
 * @b: machine frame number
 * @off: byte offset inside the frame, below PVXEN_XEN_PAGE_SIZE
 *
 * Return: the address, or the error address if @b is invalid, @off is out
 * of the frame or the result is the all-ones address.
 */
static inline struct pvxen_baddr
pvxen_bfn_to_baddr_off(struct pvxen_bfn b, u64 off)
{
	if (pvxen_bfn_is_invalid(b) || off >= PVXEN_XEN_PAGE_SIZE)
		return pvxen_baddr_error();
	return pvxen_mk_baddr((b.bfn << PVXEN_XEN_PAGE_SHIFT) | off);
}

/**
 * pvxen_baddr_to_bfn() - Machine frame containing a machine address.
 * @a: address
 *
 * Return: the frame number, or the invalid frame if @a is the error address.
 */
static inline struct pvxen_bfn pvxen_baddr_to_bfn(struct pvxen_baddr a)
{
	if (pvxen_baddr_is_error(a))
		return pvxen_bfn_invalid();
	return pvxen_mk_bfn(a.baddr >> PVXEN_XEN_PAGE_SHIFT);
}

/**
 * pvxen_baddr_page_offset() - Offset of a machine address in its frame.
 * @a: address
 *
 * Return: @a modulo PVXEN_XEN_PAGE_SIZE.
 */
static inline u64 pvxen_baddr_page_offset(struct pvxen_baddr a)
{
	return a.baddr & ~PVXEN_XEN_PAGE_MASK;
}

/* ---- internal helpers (pvxen__ prefix: not API) -------------------- */

/**
 * pvxen__buf_last() - Last byte of a buffer, if the buffer is well formed.
 * @start: first byte
 * @len: length in bytes
 * @last: set to the last byte on success
 *
 * Return: false if @len is 0, the buffer wraps past 2^64 - 1, or its last
 * byte is the all-ones (error) address.
 */
static inline bool pvxen__buf_last(u64 start, u64 len, u64 *last)
{
	if (!len || len - 1 > PVXEN_XLATE_ERROR - start)
		return false;
	*last = start + (len - 1);
	return *last != PVXEN_XLATE_ERROR;
}

/**
 * pvxen__in() - Whether @a lies in [@start, @start + @size).
 * @a: address
 * @start: first address of the interval
 * @size: length of the interval, may reach 2^64 - 1 without wrapping issues
 *
 * Return: true if @a is inside the interval.
 */
static inline bool pvxen__in(u64 a, u64 start, u64 size)
{
	return a >= start && a - start < size;
}

/**
 * pvxen__span_ok() - Whether [@start, @start + @size) stays below 2^64.
 * @start: first address
 * @size: length in bytes, non-zero
 *
 * Return: true if the last byte, @start + @size - 1, does not wrap.
 */
static inline bool pvxen__span_ok(u64 start, u64 size)
{
	return size - 1 <= PVXEN_XLATE_ERROR - start;
}

/**
 * pvxen__overlap() - Whether two non-empty, non-wrapping intervals overlap.
 * @a: start of the first interval
 * @asz: size of the first interval
 * @b: start of the second interval
 * @bsz: size of the second interval
 *
 * Return: true if some address lies in both.
 */
static inline bool pvxen__overlap(u64 a, u64 asz, u64 b, u64 bsz)
{
	return pvxen__in(a, b, bsz) || pvxen__in(b, a, asz);
}

/**
 * pvxen__find_cpu() - Range whose machine side contains an address.
 * @t: table with @t->nr > 0
 * @a: machine address
 *
 * Return: the first such range, or NULL.
 */
static inline const struct pvxen_dma_range *
pvxen__find_cpu(const struct pvxen_dma_table *t, u64 a)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (pvxen__in(a, t->ranges[i].cpu_start, t->ranges[i].size))
			return &t->ranges[i];
	return NULL;
}

/**
 * pvxen__find_bus() - Range whose DMA side contains an address.
 * @t: table with @t->nr > 0
 * @d: DMA address
 *
 * Return: the first such range, or NULL.
 */
static inline const struct pvxen_dma_range *
pvxen__find_bus(const struct pvxen_dma_table *t, u64 d)
{
	unsigned int i;

	for (i = 0; i < t->nr; i++)
		if (pvxen__in(d, t->ranges[i].bus_start, t->ranges[i].size))
			return &t->ranges[i];
	return NULL;
}

/**
 * pvxen__cpu_to_bus() - Map a machine address through one range.
 * @r: range whose machine side contains @a
 * @a: machine address
 *
 * Return: the DMA address, or PVXEN_XLATE_ERROR if it would wrap.
 */
static inline u64 pvxen__cpu_to_bus(const struct pvxen_dma_range *r, u64 a)
{
	u64 off = a - r->cpu_start;

	if (off > PVXEN_XLATE_ERROR - r->bus_start)
		return PVXEN_XLATE_ERROR;
	return r->bus_start + off;
}

/* ---- range tables -------------------------------------------------- */

/**
 * pvxen_dma_table_identity() - Identity table for a device without offset.
 * @dma_limit: highest DMA address the device can emit, inclusive
 *
 * DMA address == machine address for every address up to @dma_limit (and
 * below the all-ones error address).  Needs no range storage.
 *
 * Return: the table, by value.
 */
static inline struct pvxen_dma_table pvxen_dma_table_identity(u64 dma_limit)
{
	return (struct pvxen_dma_table){
		.ranges = NULL,
		.nr = 0,
		.dma_limit = dma_limit,
	};
}

/**
 * pvxen_dma_table_validate() - Check a range table.
 * @t: table
 *
 * Every range must be non-empty and must not wrap past 2^64 - 1 on either
 * side (a range may end exactly at 2^64 - 1); no two ranges may overlap on
 * the machine side nor on the DMA side (touching is fine).  Any @dma_limit
 * is accepted, including one that makes some or all ranges unreachable.
 * Cost is O(nr^2) with nr <= PVXEN_DMA_TABLE_MAX_RANGES.
 *
 * Return: PVXEN_DMA_TABLE_OK, or the first problem found.
 */
static inline enum pvxen_dma_table_err
pvxen_dma_table_validate(const struct pvxen_dma_table *t)
{
	const struct pvxen_dma_range *r, *q;
	unsigned int i, j;

	if (!t || (t->nr && !t->ranges))
		return PVXEN_DMA_TABLE_ENORANGES;
	if (t->nr > PVXEN_DMA_TABLE_MAX_RANGES)
		return PVXEN_DMA_TABLE_ETOOMANY;
	for (i = 0; i < t->nr; i++) {
		r = &t->ranges[i];
		if (!r->size)
			return PVXEN_DMA_TABLE_EZEROSIZE;
		if (!pvxen__span_ok(r->cpu_start, r->size))
			return PVXEN_DMA_TABLE_ECPUWRAP;
		if (!pvxen__span_ok(r->bus_start, r->size))
			return PVXEN_DMA_TABLE_EBUSWRAP;
	}
	for (i = 0; i < t->nr; i++) {
		r = &t->ranges[i];
		for (j = i + 1; j < t->nr; j++) {
			q = &t->ranges[j];
			if (pvxen__overlap(r->cpu_start, r->size,
					   q->cpu_start, q->size))
				return PVXEN_DMA_TABLE_ECPUOVERLAP;
			if (pvxen__overlap(r->bus_start, r->size,
					   q->bus_start, q->size))
				return PVXEN_DMA_TABLE_EBUSOVERLAP;
		}
	}
	return PVXEN_DMA_TABLE_OK;
}

/**
 * pvxen_dma_table_err_str() - Human-readable name of a validation result.
 * @err: result of pvxen_dma_table_validate()
 *
 * Return: a static string, never NULL.
 */
static inline const char *pvxen_dma_table_err_str(enum pvxen_dma_table_err err)
{
	switch (err) {
	case PVXEN_DMA_TABLE_OK:
		return "ok";
	case PVXEN_DMA_TABLE_ENORANGES:
		return "no range array";
	case PVXEN_DMA_TABLE_ETOOMANY:
		return "too many ranges";
	case PVXEN_DMA_TABLE_EZEROSIZE:
		return "zero-size range";
	case PVXEN_DMA_TABLE_ECPUWRAP:
		return "range wraps on the machine side";
	case PVXEN_DMA_TABLE_EBUSWRAP:
		return "range wraps on the DMA side";
	case PVXEN_DMA_TABLE_ECPUOVERLAP:
		return "ranges overlap on the machine side";
	case PVXEN_DMA_TABLE_EBUSOVERLAP:
		return "ranges overlap on the DMA side";
	}
	return "unknown error";
}

/**
 * pvxen_baddr_to_dma() - Machine address to device DMA address.
 * @t: the device's range table
 * @a: machine address
 *
 * Return: the DMA address, or the DMA error address if @a is the error
 * address, lies outside every range, or maps above @t->dma_limit.
 */
static inline struct pvxen_dma_addr
pvxen_baddr_to_dma(const struct pvxen_dma_table *t, struct pvxen_baddr a)
{
	const struct pvxen_dma_range *r;
	u64 d;

	if (pvxen_baddr_is_error(a))
		return pvxen_dma_error();
	if (t->nr) {
		r = pvxen__find_cpu(t, a.baddr);
		if (!r)
			return pvxen_dma_error();
		d = pvxen__cpu_to_bus(r, a.baddr);
	} else {
		d = a.baddr;
	}
	if (d > t->dma_limit)
		return pvxen_dma_error();
	return pvxen_mk_dma(d);
}

/**
 * pvxen_dma_to_baddr() - Device DMA address back to machine address.
 * @t: the device's range table
 * @d: DMA address
 *
 * Return: the machine address, or the machine error address if @d is the
 * error address, is above @t->dma_limit or lies outside every range.
 */
static inline struct pvxen_baddr
pvxen_dma_to_baddr(const struct pvxen_dma_table *t, struct pvxen_dma_addr d)
{
	const struct pvxen_dma_range *r;
	u64 off;

	if (pvxen_dma_is_error(d) || d.dma > t->dma_limit)
		return pvxen_baddr_error();
	if (!t->nr)
		return pvxen_mk_baddr(d.dma);
	r = pvxen__find_bus(t, d.dma);
	if (!r)
		return pvxen_baddr_error();
	off = d.dma - r->bus_start;
	if (off > PVXEN_XLATE_ERROR - r->cpu_start)
		return pvxen_baddr_error();
	return pvxen_mk_baddr(r->cpu_start + off);
}

/**
 * pvxen_dma_capable() - Whether a device can reach a whole machine buffer.
 * @t: the device's range table
 * @a: first machine address of the buffer
 * @len: length in bytes
 *
 * True when every byte of [@a, @a + @len) translates with
 * pvxen_baddr_to_dma() (inside some range, at most @t->dma_limit) and the
 * DMA addresses are contiguous, so that the device can be given the single
 * address pvxen_baddr_to_dma(@a) for @len bytes.  The buffer may span
 * several ranges only where they are adjacent on both sides.  Runs in
 * O(nr^2) at worst, independent of @len.
 *
 * Return: the answer; false for a buffer that is not well formed (@len == 0,
 * wrapping, or touching the all-ones address).
 */
static inline bool pvxen_dma_capable(const struct pvxen_dma_table *t,
				     struct pvxen_baddr a, u64 len)
{
	const struct pvxen_dma_range *r;
	u64 cur = a.baddr, last, seg_last, d, d_last;
	u64 expect = 0;
	bool first = true;

	if (!pvxen__buf_last(a.baddr, len, &last))
		return false;
	if (!t->nr)
		return last <= t->dma_limit;
	/*
	 * Each pass consumes the rest of one range; cur only grows, so there
	 * are at most nr passes even on an invalid table.
	 */
	for (;;) {
		r = pvxen__find_cpu(t, cur);
		if (!r)
			return false;
		d = pvxen__cpu_to_bus(r, cur);
		if (d == PVXEN_XLATE_ERROR || (!first && d != expect))
			return false;
		seg_last = r->cpu_start + (r->size - 1);
		if (seg_last < cur || seg_last > last)
			seg_last = last;	/* wrapping range, or buffer ends */
		if (seg_last - cur > PVXEN_XLATE_ERROR - d)
			return false;
		d_last = d + (seg_last - cur);
		if (d_last > t->dma_limit || d_last == PVXEN_XLATE_ERROR)
			return false;
		if (seg_last == last)
			return true;
		/* seg_last < last and d_last < 2^64 - 1 here: no wrap below */
		cur = seg_last + 1;
		expect = d_last + 1;
		first = false;
	}
}

/* ---- the pfn -> bfn -> dma chain ----------------------------------- */

/**
 * pvxen_bfn_lookup_identity() - pfn -> bfn lookup for a 1:1 domain.
 * @ctx: unused
 * @p: guest frame number
 *
 * Return: the machine frame with the same number, or the invalid frame if
 * @p is invalid.
 */
static inline struct pvxen_bfn pvxen_bfn_lookup_identity(void *ctx,
							 struct pvxen_pfn p)
{
	(void)ctx;
	if (pvxen_pfn_is_invalid(p))
		return pvxen_bfn_invalid();
	return pvxen_mk_bfn(p.pfn);
}

/**
 * pvxen_paddr_to_baddr() - Guest-physical address to machine address.
 * @a: guest-physical address
 * @lookup: pfn -> bfn lookup, called once
 * @ctx: passed to @lookup
 *
 * Return: the machine address of the same byte, or the machine error
 * address if @a is the error address or @lookup finds no valid frame.
 */
static inline struct pvxen_baddr
pvxen_paddr_to_baddr(struct pvxen_paddr a, pvxen_bfn_lookup_fn lookup,
		     void *ctx)
{
	if (pvxen_paddr_is_error(a))
		return pvxen_baddr_error();
	return pvxen_bfn_to_baddr_off(lookup(ctx, pvxen_paddr_to_pfn(a)),
				      pvxen_paddr_page_offset(a));
}

/**
 * pvxen_paddr_to_dma() - Guest-physical address to device DMA address.
 * @t: the device's range table
 * @a: guest-physical address
 * @lookup: pfn -> bfn lookup, called once
 * @ctx: passed to @lookup
 *
 * The full chain pfn -> bfn -> dma for one byte.
 *
 * Return: the DMA address, or the DMA error address if any step fails.
 */
static inline struct pvxen_dma_addr
pvxen_paddr_to_dma(const struct pvxen_dma_table *t, struct pvxen_paddr a,
		   pvxen_bfn_lookup_fn lookup, void *ctx)
{
	return pvxen_baddr_to_dma(t, pvxen_paddr_to_baddr(a, lookup, ctx));
}

/**
 * pvxen_paddr_buf_to_baddr() - Machine address of a whole guest buffer.
 * @a: first guest-physical address of the buffer
 * @len: length in bytes
 * @lookup: pfn -> bfn lookup, called once per 4 KiB frame touched, in order
 *	(it may stop at the first frame that breaks contiguity)
 * @ctx: passed to @lookup
 *
 * One pass over the frames, so a caller racing with p2m updates gets one
 * consistent answer rather than a contiguity check and a separate lookup.
 *
 * Return: the machine address of the first byte if every 4 KiB frame the
 * buffer touches has a valid machine frame and these follow each other,
 * so that [@a, @a + @len) is one machine range; the machine error address
 * otherwise, including for a buffer that is not well formed in guest or in
 * machine space (@len == 0, wrapping, or touching the all-ones address).
 */
static inline struct pvxen_baddr
pvxen_paddr_buf_to_baddr(struct pvxen_paddr a, u64 len,
			 pvxen_bfn_lookup_fn lookup, void *ctx)
{
	struct pvxen_bfn b0, b;
	struct pvxen_baddr first;
	u64 last, first_pfn, last_pfn, pfn;

	if (!pvxen__buf_last(a.paddr, len, &last))
		return pvxen_baddr_error();
	first_pfn = a.paddr >> PVXEN_XEN_PAGE_SHIFT;
	last_pfn = last >> PVXEN_XEN_PAGE_SHIFT;
	b0 = lookup(ctx, pvxen_mk_pfn(first_pfn));
	first = pvxen_bfn_to_baddr_off(b0, pvxen_paddr_page_offset(a));
	if (pvxen_baddr_is_error(first) ||
	    !pvxen__buf_last(first.baddr, len, &last))
		return pvxen_baddr_error();
	/* last_pfn <= PVXEN_XEN_FRAME_MAX, so pfn++ cannot wrap. */
	for (pfn = first_pfn + 1; pfn <= last_pfn; pfn++) {
		b = lookup(ctx, pvxen_mk_pfn(pfn));
		if (pvxen_bfn_is_invalid(b) ||
		    b.bfn != b0.bfn + (pfn - first_pfn))
			return pvxen_baddr_error();
	}
	return first;
}

/**
 * pvxen_paddr_machine_contiguous() - Whether a guest buffer is contiguous
 *	in machine memory.
 * @a: first guest-physical address of the buffer
 * @len: length in bytes
 * @lookup: pfn -> bfn lookup, as for pvxen_paddr_buf_to_baddr()
 * @ctx: passed to @lookup
 *
 * Return: true if pvxen_paddr_buf_to_baddr() succeeds: all frames valid and
 * consecutive in machine memory; false otherwise, including for @len == 0.
 */
static inline bool
pvxen_paddr_machine_contiguous(struct pvxen_paddr a, u64 len,
			       pvxen_bfn_lookup_fn lookup, void *ctx)
{
	return !pvxen_baddr_is_error(pvxen_paddr_buf_to_baddr(a, len, lookup,
							      ctx));
}

/**
 * pvxen_paddr_dma_capable() - Whether a guest buffer can be handed to a
 *	device as is, without bouncing.
 * @t: the device's range table
 * @a: first guest-physical address of the buffer
 * @len: length in bytes
 * @lookup: pfn -> bfn lookup, as for pvxen_paddr_buf_to_baddr()
 * @ctx: passed to @lookup
 *
 * pvxen_paddr_buf_to_baddr() followed by pvxen_dma_capable().  Policy such
 * as "foreign pages on a non-coherent device" is the caller's.
 *
 * Return: true if the buffer is machine-contiguous and the device reaches
 * all of it at contiguous DMA addresses starting at pvxen_paddr_to_dma().
 */
static inline bool
pvxen_paddr_dma_capable(const struct pvxen_dma_table *t, struct pvxen_paddr a,
			u64 len, pvxen_bfn_lookup_fn lookup, void *ctx)
{
	return pvxen_dma_capable(t, pvxen_paddr_buf_to_baddr(a, len, lookup,
							     ctx), len);
}

#endif /* PVXEN_XLATE_H */
