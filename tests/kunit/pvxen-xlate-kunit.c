// SPDX-License-Identifier: GPL-2.0-only
/*
 * KUnit suite "pvxen_xlate": range tables built by pvxen-core from a
 * device's DMA configuration, pushed through the translation core.
 *
 * The devices are plain struct device values with the DMA fields set by
 * hand, the way of_dma_configure() would set them; nothing is registered.
 */
#include <kunit/test.h>
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/dma-mapping.h>
#include <linux/module.h>
#include <linux/sizes.h>

#include <pvxen/core.h>
#include <pvxen/xlate.h>

/* Raspberry Pi 4 (bcm2711) /soc: CPU 0x0-0x3fffffff at bus 0xc0000000. */
static const struct bus_dma_region rpi4_soc_map[] = {
	{ .cpu_start = 0x0, .dma_start = 0xc0000000, .size = SZ_1G },
	{ }
};

/* Three ranges, offsets up, down and none, with a hole in between. */
static const struct bus_dma_region multi_map[] = {
	{ .cpu_start = 0x40000000, .dma_start = 0x0, .size = SZ_1G },
	{ .cpu_start = 0x0, .dma_start = 0x80000000, .size = SZ_512M },
	{ .cpu_start = 0x100000000ULL, .dma_start = 0x100000000ULL,
	  .size = SZ_4G },
	{ }
};

/* Two ranges on top of each other on the machine side. */
static const struct bus_dma_region overlap_map[] = {
	{ .cpu_start = 0x0, .dma_start = 0x80000000, .size = SZ_1G },
	{ .cpu_start = 0x20000000, .dma_start = 0x0, .size = SZ_1G },
	{ }
};

static const struct bus_dma_region empty_map[] = {
	{ }
};

static struct device *fake_dev(struct kunit *test, u64 mask, u64 bus_limit,
			       const struct bus_dma_region *map)
{
	struct device *dev = kunit_kzalloc(test, sizeof(*dev), GFP_KERNEL);

	KUNIT_ASSERT_NOT_ERR_OR_NULL(test, dev);
	dev->coherent_dma_mask = mask;
	dev->dma_mask = &dev->coherent_dma_mask;
	dev->bus_dma_limit = bus_limit;
	dev->dma_range_map = map;
	return dev;
}

static u64 to_dma(const struct pvxen_dma_table *t, u64 baddr)
{
	return pvxen_dma_val(pvxen_baddr_to_dma(t, pvxen_mk_baddr(baddr)));
}

static u64 to_baddr(const struct pvxen_dma_table *t, u64 dma)
{
	return pvxen_baddr_val(pvxen_dma_to_baddr(t, pvxen_mk_dma(dma)));
}

static void pvxen_xlate_rpi4_soc(struct kunit *test)
{
	struct device *dev = fake_dev(test, DMA_BIT_MASK(32), 0, rpi4_soc_map);
	struct pvxen_dma_range buf[4];
	struct pvxen_dma_table t;

	KUNIT_ASSERT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 4, &t), 0);
	KUNIT_EXPECT_EQ(test, t.nr, 1U);
	KUNIT_EXPECT_PTR_EQ(test, t.ranges, (const struct pvxen_dma_range *)buf);
	KUNIT_EXPECT_EQ(test, t.dma_limit, DMA_BIT_MASK(32));
	KUNIT_EXPECT_EQ(test, buf[0].cpu_start, 0x0ULL);
	KUNIT_EXPECT_EQ(test, buf[0].bus_start, 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, buf[0].size, (u64)SZ_1G);

	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x0), 0xc0000000ULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x12345678), 0xd2345678ULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x3fffffff), 0xffffffffULL);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0xc0001000), 0x1000ULL);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0xffffffff), 0x3fffffffULL);

	/* Beyond the 1 GiB window: error, never a wrapped or 1:1 address. */
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x40000000), PVXEN_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x100000000ULL), PVXEN_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0x1000), PVXEN_BADDR_ERROR);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0xbfffffff), PVXEN_BADDR_ERROR);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0x100000000ULL), PVXEN_BADDR_ERROR);

	KUNIT_EXPECT_TRUE(test, pvxen_dma_capable(&t, pvxen_mk_baddr(0x3ffff000),
						  SZ_4K));
	KUNIT_EXPECT_FALSE(test, pvxen_dma_capable(&t, pvxen_mk_baddr(0x3ffff000),
						   SZ_8K));
}

static void pvxen_xlate_rpi4_bus_limit(struct kunit *test)
{
	/* A 64-bit device behind a bus that only reaches the first 512 MiB. */
	struct device *dev = fake_dev(test, DMA_BIT_MASK(64), 0xdfffffff,
				      rpi4_soc_map);
	struct pvxen_dma_range buf[1];
	struct pvxen_dma_table t;

	KUNIT_ASSERT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 1, &t), 0);
	KUNIT_EXPECT_EQ(test, t.dma_limit, 0xdfffffffULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x1fffffff), 0xdfffffffULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x20000000), PVXEN_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0xe0000000), PVXEN_BADDR_ERROR);
}

static void pvxen_xlate_multi_range(struct kunit *test)
{
	struct device *dev = fake_dev(test, DMA_BIT_MASK(64), 0, multi_map);
	struct pvxen_dma_range buf[3];
	struct pvxen_dma_table t;

	KUNIT_ASSERT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 3, &t), 0);
	KUNIT_EXPECT_EQ(test, t.nr, 3U);
	KUNIT_EXPECT_EQ(test, t.dma_limit, DMA_BIT_MASK(64));

	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x40000000), 0x0ULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x7fffffff), 0x3fffffffULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x0), 0x80000000ULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x1fffffff), 0x9fffffffULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x123456789ULL), 0x123456789ULL);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0x1000), 0x40001000ULL);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0x80002000), 0x2000ULL);

	/* Holes on either side. */
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x20000000), PVXEN_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x80000000), PVXEN_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x200000000ULL), PVXEN_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0x40000000), PVXEN_BADDR_ERROR);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0xa0000000), PVXEN_BADDR_ERROR);

	/* Adjacent on the machine side but not on the bus side. */
	KUNIT_EXPECT_FALSE(test, pvxen_dma_capable(&t, pvxen_mk_baddr(0x7ffff000),
						   SZ_8K));
}

static void pvxen_xlate_mask_limits_multi(struct kunit *test)
{
	/* 32-bit device: the 1:1 range above 4 GiB is out of reach. */
	struct device *dev = fake_dev(test, DMA_BIT_MASK(32), 0, multi_map);
	struct pvxen_dma_range buf[3];
	struct pvxen_dma_table t;

	KUNIT_ASSERT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 3, &t), 0);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x0), 0x80000000ULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x100000000ULL), PVXEN_DMA_ERROR);
}

static void pvxen_xlate_no_map(struct kunit *test)
{
	struct device *dev = fake_dev(test, DMA_BIT_MASK(32), 0, NULL);
	struct pvxen_dma_range buf[1];
	struct pvxen_dma_table t;

	KUNIT_ASSERT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 1, &t), 0);
	KUNIT_EXPECT_EQ(test, t.nr, 0U);
	KUNIT_EXPECT_EQ(test, t.dma_limit, DMA_BIT_MASK(32));
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x12345000), 0x12345000ULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0xffffffff), 0xffffffffULL);
	KUNIT_EXPECT_EQ(test, to_dma(&t, 0x100000000ULL), PVXEN_DMA_ERROR);
	KUNIT_EXPECT_EQ(test, to_baddr(&t, 0x100000000ULL), PVXEN_BADDR_ERROR);
}

static void pvxen_xlate_bus_limit_no_map(struct kunit *test)
{
	/* bus_dma_limit lowers a wider mask; a zero limit means none. */
	struct device *dev = fake_dev(test, DMA_BIT_MASK(64), SZ_1G - 1, NULL);
	struct pvxen_dma_table t;

	KUNIT_ASSERT_EQ(test, pvxen_dma_table_from_dev(dev, NULL, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.dma_limit, (u64)SZ_1G - 1);
	KUNIT_EXPECT_EQ(test, to_dma(&t, SZ_1G), PVXEN_DMA_ERROR);
}

static void pvxen_xlate_coherent_mask_only(struct kunit *test)
{
	struct device *dev = fake_dev(test, DMA_BIT_MASK(30), 0, NULL);
	struct pvxen_dma_table t;

	dev->dma_mask = NULL;
	KUNIT_ASSERT_EQ(test, pvxen_dma_table_from_dev(dev, NULL, 0, &t), 0);
	KUNIT_EXPECT_EQ(test, t.dma_limit, DMA_BIT_MASK(30));
}

static void pvxen_xlate_too_many(struct kunit *test)
{
	struct device *dev = fake_dev(test, DMA_BIT_MASK(64), 0, multi_map);
	struct pvxen_dma_range buf[3];
	struct pvxen_dma_table t = { .nr = 42 };

	KUNIT_EXPECT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 2, &t),
			-ENOSPC);
	KUNIT_EXPECT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 0, &t),
			-ENOSPC);
	/* Nothing written to the table on failure. */
	KUNIT_EXPECT_EQ(test, t.nr, 42U);
}

static void pvxen_xlate_no_mask(struct kunit *test)
{
	struct device *dev = fake_dev(test, 0, 0, rpi4_soc_map);
	struct pvxen_dma_range buf[1];
	struct pvxen_dma_table t;

	KUNIT_EXPECT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 1, &t),
			-EINVAL);
	dev->dma_mask = NULL;
	KUNIT_EXPECT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 1, &t),
			-EINVAL);
}

static void pvxen_xlate_bad_maps(struct kunit *test)
{
	struct device *dev = fake_dev(test, DMA_BIT_MASK(64), 0, overlap_map);
	struct pvxen_dma_range buf[2];
	struct pvxen_dma_table t;

	KUNIT_EXPECT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 2, &t),
			-EINVAL);
	dev->dma_range_map = empty_map;
	KUNIT_EXPECT_EQ(test, pvxen_dma_table_from_dev(dev, buf, 2, &t),
			-EINVAL);
}

static struct kunit_case pvxen_xlate_cases[] = {
	KUNIT_CASE(pvxen_xlate_rpi4_soc),
	KUNIT_CASE(pvxen_xlate_rpi4_bus_limit),
	KUNIT_CASE(pvxen_xlate_multi_range),
	KUNIT_CASE(pvxen_xlate_mask_limits_multi),
	KUNIT_CASE(pvxen_xlate_no_map),
	KUNIT_CASE(pvxen_xlate_bus_limit_no_map),
	KUNIT_CASE(pvxen_xlate_coherent_mask_only),
	KUNIT_CASE(pvxen_xlate_too_many),
	KUNIT_CASE(pvxen_xlate_no_mask),
	KUNIT_CASE(pvxen_xlate_bad_maps),
	{}
};

static struct kunit_suite pvxen_xlate_suite = {
	.name = "pvxen_xlate",
	.test_cases = pvxen_xlate_cases,
};

kunit_test_suite(pvxen_xlate_suite);

MODULE_DESCRIPTION("KUnit tests for the pvxen translation layer");
MODULE_LICENSE("GPL");
