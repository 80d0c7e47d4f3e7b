// SPDX-License-Identifier: GPL-2.0-only
/*
 * minixen fault injection from inside a guest. mode= says what to do:
 *
 * read  read the physical address addr= that the domain does not own.
 *       Under minixen the read gets a synchronous external abort, so
 *       loading the module oopses (insmod is killed) and the kernel goes on.
 * spin  spin forever with interrupts masked: minixen must still give the
 *       physical CPU to other vCPUs. insmod never returns.
 * psci  raw PSCI/SMCCC and hypercall calls with bad arguments, then reads
 *       and harmless writes all over the emulated GIC and UART, then
 *       starts vCPU2 on a page of zeroes behind Linux's back: it loops
 *       forever through undefined-instruction and instruction-abort
 *       exceptions (its vector table is not in RAM). Each check prints
 *       "mxfault: ok - ..." or "mxfault: not ok - ...", then a summary
 *       line. Expects three vCPUs, all but the first off (maxcpus=1).
 */
#include <linux/io.h>
#include <linux/gfp.h>
#include <linux/delay.h>
#include <linux/irqflags.h>
#include <linux/module.h>

static unsigned long addr = 0x10000000;
module_param(addr, ulong, 0444);
MODULE_PARM_DESC(addr, "physical address to read (mode=read)");

static char *mode = "read";
module_param(mode, charp, 0444);
MODULE_PARM_DESC(mode, "read | spin | psci");

#define PSCI_VERSION		0x84000000UL
#define PSCI_CPU_SUSPEND	0xc4000001UL
#define PSCI_CPU_ON_32		0x84000003UL
#define PSCI_CPU_ON		0xc4000003UL
#define PSCI_AFFINITY_INFO	0xc4000004UL
#define PSCI_MIGRATE_INFO_TYPE	0x84000006UL
#define PSCI_FEATURES		0x8400000aUL

#define SUCCESS			0L
#define NOT_SUPPORTED		-1L
#define INVALID_PARAMS		-2L
#define ALREADY_ON		-4L
#define INVALID_ADDRESS		-9L

/* Guest layout minixen gives every domain (hyp/include/minixen/hyp.h). */
#define GUEST_GICD		0x03001000UL
#define GUEST_GICR		0x03020000UL
#define GICR_STRIDE		0x20000UL
#define GUEST_UART		0x22000000UL

static int passed, failed;

static long hvc0(unsigned long fn, unsigned long a1, unsigned long a2,
		 unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("hvc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

static long smc0(unsigned long fn, unsigned long a1, unsigned long a2,
		 unsigned long a3)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;

	asm volatile("smc #0" : "+r" (x0), "+r" (x1), "+r" (x2), "+r" (x3)
		     : : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
		       "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

/* Xen hypercall: hvc #0xea1, number in x16. */
static long xen_hvc(unsigned long nr, unsigned long a1)
{
	register unsigned long x0 asm("x0") = a1;
	register unsigned long x16 asm("x16") = nr;

	asm volatile("hvc #0xea1" : "+r" (x0), "+r" (x16) : : "x1", "x2",
		     "x3", "x4", "memory");
	return x0;
}

static void check(const char *what, long got, long want)
{
	if (got == want) {
		passed++;
		pr_info("mxfault: ok - %s = %ld\n", what, got);
	} else {
		failed++;
		pr_info("mxfault: not ok - %s = %ld, expected %ld\n", what, got,
			want);
	}
}

/* @good: an address in the domain's RAM, a valid CPU_ON entry point. */
static void psci_checks(unsigned long good)
{
	unsigned long self = read_cpuid_mpidr() & 0xff00ffffffUL;

	check("PSCI_VERSION over HVC", hvc0(PSCI_VERSION, 0, 0, 0), 0x10001);
	check("PSCI_VERSION over SMC", smc0(PSCI_VERSION, 0, 0, 0), 0x10001);
	check("MIGRATE_INFO_TYPE", hvc0(PSCI_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
	check("PSCI_FEATURES(unknown function)",
	      hvc0(PSCI_FEATURES, 0x8400001f, 0, 0), NOT_SUPPORTED);
	check("unknown PSCI function", hvc0(0x8400001f, 1, 2, 3),
	      NOT_SUPPORTED);
	check("unknown SMCCC function over SMC", smc0(0xc2001234, 0, 0, 0),
	      NOT_SUPPORTED);
	check("CPU_SUSPEND (not offered)",
	      hvc0(PSCI_CPU_SUSPEND, 0, good, 0), NOT_SUPPORTED);
	check("CPU_ON nonexistent MPIDR Aff0 7", hvc0(PSCI_CPU_ON, 7, good, 0),
	      INVALID_PARAMS);
	check("CPU_ON nonexistent MPIDR Aff1 1",
	      hvc0(PSCI_CPU_ON, 0x100, good, 0), INVALID_PARAMS);
	check("CPU_ON MPIDR with non-affinity bits",
	      hvc0(PSCI_CPU_ON, BIT(31) | 1, good, 0), INVALID_PARAMS);
	check("CPU_ON self", hvc0(PSCI_CPU_ON, self, good, 0), ALREADY_ON);
	check("CPU_ON entry below RAM", hvc0(PSCI_CPU_ON, 1, 0x1000, 0),
	      INVALID_ADDRESS);
	check("CPU_ON entry ~0", hvc0(PSCI_CPU_ON, 1, ~0UL, 0),
	      INVALID_ADDRESS);
	check("CPU_ON entry misaligned", hvc0(PSCI_CPU_ON, 1, good + 2, 0),
	      INVALID_ADDRESS);
	check("CPU_ON (SMC32) entry below RAM",
	      smc0(PSCI_CPU_ON_32, 1, 0x1000, 0), INVALID_ADDRESS);
	check("AFFINITY_INFO self", hvc0(PSCI_AFFINITY_INFO, self, 0, 0), 0);
	check("AFFINITY_INFO nonexistent MPIDR",
	      hvc0(PSCI_AFFINITY_INFO, 0x55, 0, 0), INVALID_PARAMS);
	check("AFFINITY_INFO level 4", hvc0(PSCI_AFFINITY_INFO, 1, 4, 0),
	      INVALID_PARAMS);
	check("AFFINITY_INFO level ~0", hvc0(PSCI_AFFINITY_INFO, 1, ~0UL, 0),
	      INVALID_PARAMS);
	/* None of the bad CPU_ONs may have started it. */
	check("AFFINITY_INFO vCPU1 still off",
	      hvc0(PSCI_AFFINITY_INFO, 1, 0, 0), 1);
	check("Xen hypercall 9999 (unknown)", xen_hvc(9999, 0), -38);
}

/* Reads all over a region, 1, 2, 4 and 8 bytes wide: minixen must answer. */
static int probe_reads(unsigned long base, unsigned long size,
		       unsigned long step)
{
	void __iomem *p = ioremap(base, size);
	unsigned long off;

	if (!p)
		return -ENOMEM;
	for (off = 0; off < size; off += step)
		(void)readl(p + off);
	for (off = 0; off < size; off += 16 * step) {
		(void)readb(p + off + 1);
		(void)readw(p + off + 2);
		(void)readq(p + off + 8);
	}
	iounmap(p);
	return 0;
}

static void mmio_checks(void)
{
	void __iomem *gicd = ioremap(GUEST_GICD, 0x10000);
	void __iomem *uart = ioremap(GUEST_UART, 0x1000);
	int r;

	if (!gicd || !uart) {
		check("ioremap of the GIC and UART", -ENOMEM, 0);
		goto out;
	}
	r = probe_reads(GUEST_GICD, 0x10000, 4);
	r = r ?: probe_reads(GUEST_GICR, 2 * GICR_STRIDE, 0x40);
	r = r ?: probe_reads(GUEST_UART, 0x1000, 4);
	check("reads all over GICD, GICR, UART", r, 0);
	/* Read-only registers, an unused SPI, bogus routing: ignored. */
	writel(0xffffffff, gicd + 0x0004);		/* GICD_TYPER */
	writel(0xffffffff, gicd + 0xffe8);		/* GICD_PIDR2 */
	writeq(~0UL, gicd + 0x6000 + 8 * 63);		/* IROUTER63 */
	writel(0xdeadbeef, gicd + 0x6000 + 8 * 62 + 4);	/* IROUTER62 hi */
	writeb(0xff, gicd + 0x400 + 63);		/* IPRIORITYR63 */
	writew(0xffff, gicd + 0x6000 + 8 * 61);		/* IROUTER61, 16-bit */
	writel(0xffffffff, uart + 0xfe0);		/* UARTPeriphID0 */
	check("GICD_PIDR2 after writes", readl(gicd + 0xffe8) & 0xff, 0x3b);
	check("UARTPeriphID0 after write", readl(uart + 0xfe0), 0x11);
	check("GICD_IROUTER63 after write of ~0",
	      readq(gicd + 0x6000 + 8 * 63), 0xff00ffffffL | BIT(31));
out:
	if (gicd)
		iounmap(gicd);
	if (uart)
		iounmap(uart);
}

static void fault_loop_checks(unsigned long zeroes)
{
	check("CPU_ON vCPU2 at a page of zeroes",
	      hvc0(PSCI_CPU_ON, 2, zeroes, 0), SUCCESS);
	msleep(200);
	check("AFFINITY_INFO vCPU2 on (faulting)",
	      hvc0(PSCI_AFFINITY_INFO, 2, 0, 0), 0);
	check("CPU_ON vCPU2 again", hvc0(PSCI_CPU_ON, 2, zeroes, 0),
	      ALREADY_ON);
}

static int __init mxfault_init(void)
{
	void __iomem *p;

	if (!strcmp(mode, "spin")) {
		pr_info("mxfault: spinning with interrupts masked\n");
		local_irq_disable();
		for (;;)
			cpu_relax();
	}
	if (!strcmp(mode, "psci")) {
		/* never freed: vCPU2 runs (or rather faults) there for good */
		unsigned long page = get_zeroed_page(GFP_KERNEL);

		if (!page)
			return -ENOMEM;
		psci_checks(virt_to_phys((void *)page));
		mmio_checks();
		fault_loop_checks(virt_to_phys((void *)page));
		pr_info("mxfault: psci: %d passed, %d failed\n", passed, failed);
		/* Stay loaded: busybox insmod retries a failed finit_module. */
		return 0;
	}
	if (strcmp(mode, "read"))
		return -EINVAL;
	p = ioremap(addr, PAGE_SIZE);
	if (!p)
		return -ENOMEM;
	pr_info("mxfault: reading 0x%lx\n", addr);
	pr_info("mxfault: read 0x%x (no abort)\n", readl(p));
	iounmap(p);
	return -EIO;
}
module_init(mxfault_init);

MODULE_DESCRIPTION("minixen fault injection from inside a guest");
MODULE_LICENSE("GPL");
