# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen, top level.
#
#   make                 build the modules against the test kernel
#   make KDIR=<tree>     build against any prepared kernel tree
#   make check           host unit tests, then the QEMU suites (TAP), in
#                        30 minutes warm
#   make check-full      make check, then the soaks: the larger counts and
#                        streams, and the harness's platform-fault paths
#   make check-host      host unit tests only
#   make check-fresh     the README's two commands in a fresh Debian 12 root
#   make run             boot Xen + dom0 + a domU with pvxen-core, interactive
#   make minixen         build the minixen hypervisor (hyp/minixen)
#   make bench           pvxen vs upstream Linux's Xen code, same run (ratios),
#                        then pvxen's micro rows on minixen beside real Xen's,
#                        then pvxen-swiotlb vs the kernel's DMA paths
#   make bench-minixen   only the minixen rows, with a real-Xen run of their own
#   make checkpatch      checkpatch --strict over the C sources
#   make deb             the Debian package pvxen-dkms, in tests/out/deb/
#   make check-dkms      pvxen-dkms installed in an arm64 Debian 12 root:
#                        DKMS builds every driver module (root; TAP)
#
# PVXEN_TESTS=n builds the driver modules alone (no test, KUnit or
# benchmark module), as the DKMS package does.

ARCH ?= arm64
CROSS_COMPILE ?= aarch64-linux-gnu-
KDIR ?= $(shell scripts/kdir test)

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE)
# Build-time feature probes against $(KDIR) (Documentation/compat.md):
# compat/generated/pvxen-probes.h, redone when the tree or a probe changes.
# Variables given to make (CC=...) reach the probes' kbuild as they reach
# the modules' (MAKEFLAGS).
PROBE = compat/probe $(KDIR) $(CURDIR) ARCH=$(ARCH) \
	CROSS_COMPILE=$(CROSS_COMPILE)

# The same modules built against another kernel, in tests/out/NAME-build:
# make modules-debian (Debian's stock kernel, CONFIG_XEN=y, for the dom0
# tests), modules-xenref (the upstream reference), modules-debug,
# modules-dmaops (pvxen-swiotlb's kernel, the minixen-dma suite),
# modules-zonedev (no dma_ops slot, ZONE_DEVICE: minixen-identity),
# modules-test-5.10 and modules-test-6.12 (the test kernel from Debian's
# 5.10 and 6.12 sources).

.PHONY: all modules tools minixen minixen-peer bench clean check check-host \
	check-5.10 check-full \
	check-qemu run \
	checkpatch check-fresh bench-minixen

all: modules

modules:
	$(PROBE)
	+$(KMAKE) modules

# Small static arm64 helpers the in-guest and dom0 tests run.
TOOLS_OUT = tests/out/tools
TOOLS = $(TOOLS_OUT)/insmod1 $(TOOLS_OUT)/gntpeer $(TOOLS_OUT)/fakeblkback
TOOLS += $(TOOLS_OUT)/xsflood
TOOLS += $(TOOLS_OUT)/asuser
TOOLS += $(TOOLS_OUT)/conring
TOOLS += $(TOOLS_OUT)/conkick
TOOLS += $(TOOLS_OUT)/netstream
TOOLS += $(TOOLS_OUT)/fakenetback

tools: $(TOOLS)

$(TOOLS_OUT)/%: tests/tools/%.c
	@mkdir -p $(TOOLS_OUT)
	$(CROSS_COMPILE)gcc -static -O2 -Wall -Wextra -Werror $(TOOL_CFLAGS) -o $@ $<

$(TOOLS_OUT)/gntpeer: tests/modules/pvxen-gnt-proto.h

# The test backends that can lie share one dom0-side skeleton.
FAKEBACK = tests/tools/fakeback.c tests/tools/fakeback-io.c \
	tests/tools/fakeback.h
$(TOOLS_OUT)/fakeblkback $(TOOLS_OUT)/fakenetback: $(TOOLS_OUT)/%: \
		tests/tools/%.c $(FAKEBACK)
	@mkdir -p $(TOOLS_OUT)
	$(CROSS_COMPILE)gcc -static -O2 -Wall -Wextra -Werror $(TOOL_CFLAGS) \
		-o $@ $(filter %.c,$^)

# Xen's public headers (libxen-dev) after the cross sysroot's own.
$(TOOLS_OUT)/fakeblkback: TOOL_CFLAGS = -idirafter /usr/include
$(TOOLS_OUT)/fakenetback: TOOL_CFLAGS = -idirafter /usr/include
$(TOOLS_OUT)/xsflood: TOOL_CFLAGS = -idirafter /usr/include
$(TOOLS_OUT)/conring: TOOL_CFLAGS = -idirafter /usr/include

minixen:
	$(MAKE) -C hyp

# The peer domain's console-ring module (tests/harness/mx-run --peer).
minixen-peer:
	$(MAKE) -C tests/hyp peermod

modules-%:
	scripts/build-modules $(shell scripts/kdir $*) tests/out/$*-build

clean:
	+$(KMAKE) clean
	rm -rf compat/generated
	rm -rf tests/out/*-build
	$(MAKE) -C hyp clean
	$(MAKE) -C tests/hyp clean
	$(MAKE) -C tests/host clean

# Test suites: NAME=COMMAND, each printing TAP; tests/run-suites merges
# them and ends with "N passed, N failed".
XEN_TESTS ?= smoke core-firstlight core-kunit core-grant core-events \
	core-xenstore core-xenbus core-cycles core-xswatch net-basic
# On the debug kernel: kmemleak, lockdep and list debugging watch the same
# load/unload cycles.
XEN_DEBUG_TESTS ?= core-cycles
DOM0_TESTS ?= core-builtin-xen
NOHYP_TESTS ?= smoke core-nohyp
HOST_SUITES = \
	'xlate=$(MAKE) -s -C tests/host check' \
	'minixen-units=$(MAKE) -s -C tests/hyp check' \
	'style=scripts/checkpatch' \
	'builds=tests/builds'
# The block frontend (pvxen-blkfront) on real Xen against Linux's blkback:
# parameters and negotiation, data integrity, ext4, discard and flush, a
# read-only disk, online resize, hot-unplug under I/O, load/unload cycles.
# The blk-fio ... blk-detach tests pass on Linux's own xen-blkfront too
# (--guest-kernel xenref).
XEN_BLK_TESTS ?= blk-basic blk-fio blk-ext4 blk-discard-flush blk-ro \
	blk-resize blk-detach
# pvxen-netfront on real Xen against Linux's netback. xen-net: traffic
# (pings to 65000 bytes, MTU, iperf3, IPv6, 64 MiB hashed both ways,
# 256 MiB in xen-net-soak; offloads off and on), then netback with 1, 2 and 4 queues and one or
# split event channels (the domU's two vCPUs bound the queues to 2: with
# four, 4 queues came up, but five vCPUs on the host's two had the
# guest's timer lost twice in four runs, a platform fault).
# xen-net-detach: a reconnection, netback's unbind and bind, rmmod and xl
# network-detach under traffic, xl network-attach. On the debug kernel
# (KASAN, kmemleak, lockdep): xen-net-hostile, a lying backend
# (tests/tools/fakenetback) in each of its modes; xen-net-cycles, 5
# load/unload cycles with traffic. Each its own run, so the two lanes of
# make check share them out.
XEN_NET_TESTS ?= net-traffic net-queues
# The same functional tests with Linux's own xen-netfront (xen-net-ref,
# the xenref kernel, in make check-full): they test the protocol, not our
# reading of it; its
# hashed streams are 32 MiB (xen-net's 64 MiB and xen-net-soak's 256 MiB
# prove our data path).
# net-queues on it (123 s) runs by hand: make check's budget.
XEN_NET_REF_TESTS ?= net-traffic
# Against tests/tools/fakeblkback: a response landing in the removal, a
# failed ring set-up, requests larger than the persistent grant pool.
XEN_BLK_FAKE_TESTS ?= blk-unplug blk-setup-fail blk-persist
XEN_BLK_DISKS = --disk-mb 64 --disk 16:ro:shared --disk 16:rw:shared \
	--disk 16:rw:resize --disk 16:rw:detach

# Longest first: tests/run-suites starts the next one whenever one ends.
# make check's counts and sizes are chosen for its 30-minute budget
# (warm, two suites at a time on two cores: the QEMU runs are CPU-bound,
# so what counts is the sum of the suites' CPU time); make check-full
# adds the soaks (SOAK_SUITES).  Each count here still goes once through
# every path its test has: a load/unload cycle with its mounts and its
# traffic, a reconnection, a storm that outlasts the ring.
# xen-blk-debug: the hostile backends' new modes (fakeblkback), a backend
# stalled in Closing beside a hot-plug and a resize (blk-stall) and a
# storm of 5*10^4 events (10^6 by hand), on the KASAN kernel.
# xen-net-cycles: 5 of pvxen-netfront's load/unload cycles on the debug
# kernel (50 took 550 s; minixen-net runs 10); xen-debug runs 3 of
# blk-cycles' beside 20 of core-cycles' (kmemleak, KASAN and lockdep
# watch the same paths; the xen suite runs 50, xen-soak 200).  Their run
# times swing widely between runs (12 block cycles: 57 s and 1309 s in
# two make checks of the same tree; QEMU TCG), hence the timeouts.
# The xen suite's core-xswatch: a backend rewrites a watched node 2000
# times (xen-soak: 10^4; the default, 10^5, by hand or on minixen, whose
# xenstore takes it in 15 s: xenstored in dom0 managed from 70 to 540
# rewrites a second, depending on the host's load).
XEN_CYCLE_DISKS = --disk-mb 64 --disk 16:rw:shared
# The same modules on the test kernels from Debian's 5.10 and 6.12 sources
# (test-5.10, test-6.12; the compat layer, Documentation/compat.md): what
# the compat layer touches, on real Xen against Linux's backends.
# pvxen-core's first light, grants and xenbus; pvxen-blkfront's
# negotiation and queue limits (each test loads and unloads it), fio's
# data check, discard, flush and FUA; pvxen-netfront's first contact and
# load/unload cycles with traffic.  The heaviest tests run on 6.1 only in
# make check (the issue allows it); make check-full runs them on 6.12 and
# 5.10 too (xen-6.12-soak, xen-5.10-soak): pvxen-netfront's net-traffic
# (offloads, MTU, IPv6, iperf3, hashed streams: the page_pool paths; it
# found the IPv6 MTU bug on 5.10) and pvxen-blkfront's load/unload cycles
# with mounts, refused under I/O.
# core-firstlight compares Xen's wallclock with the host's time at the
# start of the run: it comes first.
XEN_KERNEL_TESTS ?= smoke core-firstlight core-grant core-xenbus blk-basic \
	blk-fio blk-discard-flush net-basic net-cycles
XEN_KERNEL_SOAK_TESTS ?= net-traffic blk-cycles
XEN_KERNEL_ENV = --guest-env NET_CYCLES=3
# make check-5.10 runs xen-5.10 alone.
KERNEL_510_SUITES = \
	'xen-5.10=tests/harness/xen-run --name xen-5.10 --guest-kernel test-5.10 \
		--vif --guest-mem 512 --timeout 2400 $(XEN_CYCLE_DISKS) \
		$(XEN_KERNEL_ENV) --tests "$(XEN_KERNEL_TESTS)"'
# On minixen (tests/harness/mx-run), its own backends: the block tests
# that need no xl (read-only, 512 and 4096-byte sectors; Linux's own
# xen-blkfront on the xenref kernel too); the network tests between
# domU1 and the xenref peer (Linux's xen-netfront, the dom0 agent) through
# minixen's switch; Debian's stock kernel with its own frontends.
MX_BLK_DISKS = --disk-mb 64 --disk 16:ro --disk 16:rw:4096
MX_BLK_TESTS = blk-basic blk-fio blk-ext4 blk-discard-flush blk-ro blk-cycles
MX_BLK_REF_TESTS = blk-fio blk-ext4 blk-discard-flush blk-ro
MX_NET_TESTS = net-traffic net-cycles
# minixen-hostile: domU1 lies to minixen's blkback and netback
# (tests/modules/pvxen-hostile-front.ko), then repeats the harmless lies
# for 40 s while domU2 does real I/O on its own disk and vif: each
# fatal lie logs exactly one line of minixen's, nobody else's device
# disconnects.
MX_HOSTILE_DOMU2_TESTS = blk-fio blk-ext4 net-basic
MX_HOSTILE_LOG = \
	--mx-log-expect "^[(]MX[)] domU1: vbd 51712: request producer .*disconnected" \
	--mx-log-expect "^[(]MX[)] domU1: vif 0: a TX slot crosses its 4 KiB frame" \
	--mx-log-expect "^[(]MX[)] domU1: vif 0: TX request producer" \
	--mx-log-reject "^[(]MX[)] (dom0|domU2): .*(disconnected|not connected)" \
	--mx-log-reject "^[(]MX[)] domU1: .*not connected"
QEMU_SUITES = \
	'xen-net-hostile=tests/harness/xen-run --name xen-net-hostile --vif \
		--guest-kernel debug --guest-mem 512 --timeout 2400 \
		--tests net-hostile' \
	'xen-net-detach=tests/harness/xen-run --name xen-net-detach --vif \
		--timeout 1500 --tests net-detach' \
	'xen-net-cycles=tests/harness/xen-run --name xen-net-cycles --vif \
		--guest-kernel debug --guest-mem 512 --timeout 2400 \
		--guest-env NET_CYCLES=5 --tests net-cycles' \
	'xen-blk-debug=tests/harness/xen-run --name xen-blk-debug \
		--guest-kernel debug --guest-mem 512 --timeout 1800 \
		--guest-env BLK_STORM_EVENTS=50000 $(XEN_BLK_DISKS) \
		--tests "$(XEN_BLK_FAKE_TESTS) blk-timeouts blk-stall blk-storm"' \
	'xen-net=tests/harness/xen-run --name xen-net --vif \
		--timeout 1500 --guest-env NET_STREAM_MB=64 \
		--tests "$(XEN_NET_TESTS)"' \
	'mutate=tests/mutate --host' \
	'xen-6.12=tests/harness/xen-run --name xen-6.12 --guest-kernel test-6.12 \
		--vif --guest-mem 512 --timeout 2400 $(XEN_CYCLE_DISKS) \
		$(XEN_KERNEL_ENV) --tests "$(XEN_KERNEL_TESTS)"' \
	$(KERNEL_510_SUITES) \
	'xen-blk=tests/harness/xen-run --name xen-blk --guest-mem 512 \
		--timeout 1800 $(XEN_BLK_DISKS) --tests "$(XEN_BLK_TESTS)"' \
	'xen-debug=tests/harness/xen-run --name xen-debug --guest-kernel debug \
		--guest-mem 512 --timeout 2400 $(XEN_CYCLE_DISKS) \
		--guest-env PVXEN_BLK_CYCLES=2 --guest-env PVXEN_CYCLES=10 \
		--tests "$(XEN_DEBUG_TESTS) blk-cycles"' \
	'xen=tests/harness/xen-run --name xen --vif --timeout 1500 \
		--guest-env XS_FLOOD_N=2000 --guest-env PVXEN_CYCLES=50 \
		--tests "$(XEN_TESTS)" \
		--dom0-tests "$(DOM0_TESTS)"' \
	'minixen=$(MAKE) -s -C tests/hyp qemu' \
	'minixen-net=tests/harness/mx-run --name minixen-net --peer --vif \
		--timeout 1200 --guest-env NET_CYCLES=10 --guest-env NET_STREAM_MB=64 \
		--tests "$(MX_NET_TESTS)"' \
	'minixen-blk=tests/harness/mx-run --name minixen-blk $(MX_BLK_DISKS) \
		--timeout 900 --tests "$(MX_BLK_TESTS)"' \
	'minixen-hostile=tests/harness/mx-run --name minixen-hostile \
		--disk-mb 16 --disk 16:ro --vif --peer --timeout 600 \
		--guest-env MX_HOSTILE_SOAK=40 --tests mx-hostile \
		--domu2-tests "$(MX_HOSTILE_DOMU2_TESTS)" --domu2-disk-mb 64 \
		$(MX_HOSTILE_LOG)' \
	'harness=tests/harness/selftest' \
	'xen-blk-hostile=tests/harness/xen-run --name xen-blk-hostile \
		--guest-mem 512 --timeout 1200 --tests blk-hostile' \
	'minixen-dma=tests/hyp/qemu-dma.sh --swiotlb' \
	'minixen-identity=tests/hyp/qemu-dma.sh --identity' \
	'kmemleak=tests/harness/qemu-run --name kmemleak --kernel debug \
		--tests selftest-kmemleak' \
	'nohyp=tests/harness/qemu-run --name nohyp --tests "$(NOHYP_TESTS)"'

# make check-full: make check's suites, then these soaks and references
# (Documentation/testing.md, "make check and its budget"): pvxen-core's
# 200 load/unload cycles and 10^4 xenstore rewrites, 256 MiB hashed
# streams each way, 12 block load/unload cycles with mounts, an event
# storm of 3*10^5, the harness's platform-fault paths, the mutants that
# run QEMU, net-traffic and block load/unload cycles on the 6.12 and 5.10
# kernels, the blkfront timeout run (blk-timeouts again, off the debug
# kernel), and the references: Linux's own frontends on our tests and
# set-up (xen-net-ref, minixen-blk-ref, minixen-upstream, xen-upstream).
SOAK_SUITES = \
	'xen-soak=tests/harness/xen-run --name xen-soak --vif --timeout 2400 \
		--guest-env XS_FLOOD_N=10000 --guest-env PVXEN_CYCLES=200 \
		--tests "core-cycles core-xswatch"' \
	'xen-net-soak=tests/harness/xen-run --name xen-net-soak --vif \
		--timeout 1800 --tests net-traffic' \
	'xen-blk-cycles=tests/harness/xen-run --name xen-blk-cycles \
		--guest-mem 512 --timeout 2700 $(XEN_CYCLE_DISKS) \
		--guest-env PVXEN_BLK_CYCLES=12 --tests blk-cycles' \
	'xen-blk-storm=tests/harness/xen-run --name xen-blk-storm \
		--guest-mem 512 --disk-mb 16 --timeout 2400 \
		--guest-env BLK_STORM_EVENTS=300000 --tests blk-storm' \
	'harness-platform=tests/harness/selftest --platform' \
	'xen-net-ref=tests/harness/xen-run --name xen-net-ref --vif \
		--guest-kernel xenref --timeout 1500 --guest-env NET_STREAM_MB=32 \
		--tests "$(XEN_NET_REF_TESTS)"' \
	'mutate-qemu=tests/mutate' \
	'xen-6.12-soak=tests/harness/xen-run --name xen-6.12-soak \
		--guest-kernel test-6.12 --vif --guest-mem 512 --timeout 2400 \
		$(XEN_CYCLE_DISKS) --guest-env PVXEN_BLK_CYCLES=3 \
		--guest-env NET_STREAM_MB=16 --tests "$(XEN_KERNEL_SOAK_TESTS)"' \
	'xen-5.10-soak=tests/harness/xen-run --name xen-5.10-soak \
		--guest-kernel test-5.10 --vif --guest-mem 512 --timeout 2400 \
		$(XEN_CYCLE_DISKS) --guest-env PVXEN_BLK_CYCLES=3 \
		--guest-env NET_STREAM_MB=16 --tests "$(XEN_KERNEL_SOAK_TESTS)"' \
	'minixen-blk-ref=tests/harness/mx-run --name minixen-blk-ref \
		--guest-kernel xenref $(MX_BLK_DISKS) --timeout 900 \
		--tests "$(MX_BLK_REF_TESTS)"' \
	'minixen-upstream=tests/harness/mx-run --name minixen-upstream \
		--guest-kernel debian --peer --vif --disk-mb 64 --timeout 600 \
		--tests upstream-ref' \
	'xen-blk-timeout=tests/harness/xen-run --name xen-blk-timeout \
		--guest-mem 512 --timeout 600 --tests "blk-hostile blk-timeouts" \
		--guest-env BLK_HOSTILE_MODES="good silent" \
		--guest-env BLK_HOSTILE_KEYS=indirect:64 \
		--guest-env PVXEN_BLKFRONT_PARAMS=timeout_s=5' \
	'xen-upstream=tests/harness/xen-run --name xen-upstream \
		--guest-kernel debian --guest-mem 512 --disk-mb 64 --vif \
		--tests upstream-ref'

# Suites at once: the QEMU runs spend most of their time waiting on their
# guests, so two share the two cores well; the output stays in order.
SUITE_JOBS ?= 2

check: modules modules-debian modules-debug modules-dmaops modules-zonedev \
		modules-test-5.10 modules-test-6.12 tools minixen minixen-peer
	tests/run-suites -j $(SUITE_JOBS) $(HOST_SUITES) $(QEMU_SUITES)

check-full: modules modules-debian modules-debug modules-dmaops \
		modules-zonedev modules-test-5.10 modules-test-6.12 tools minixen \
		minixen-peer
	tests/run-suites -j $(SUITE_JOBS) $(HOST_SUITES) $(QEMU_SUITES) \
		$(SOAK_SUITES)

check-5.10: modules-test-5.10 tools
	tests/run-suites $(KERNEL_510_SUITES)

check-host:
	tests/run-suites $(HOST_SUITES)

check-qemu: modules modules-debian modules-debug modules-dmaops \
		modules-zonedev modules-test-5.10 modules-test-6.12 tools minixen \
		minixen-peer
	tests/run-suites -j $(SUITE_JOBS) $(QEMU_SUITES)

# The README's two commands in a fresh Debian 12 root (debootstrap,
# chroot), on a fresh clone of HEAD: what a new machine would see.
check-fresh:
	scripts/check-fresh

# The minixen rows (micro, and the frontends on minixen's own backends)
# take real Xen's side from make bench's own run; the DMA rows compare
# pvxen-swiotlb with the kernel's own DMA paths, same kernel.
bench: modules modules-xenref modules-dmaops tools minixen minixen-peer
	tests/bench/run
	tests/bench/minixen-run --xen-log tests/out/bench-console.log
	tests/bench/backends-run --xen-log tests/out/bench-console.log
	tests/bench/dma-run

bench-minixen: modules tools minixen
	tests/bench/minixen-run --xen

run: modules tools
	tests/harness/xen-run --interactive --vif --disk-mb 64

checkpatch:
	scripts/checkpatch

# Packaging (Documentation/packaging.md): the DKMS package, and its test
# in an arm64 Debian 12 root under qemu-user (about 10 minutes; the
# first run also builds the root, 8 more).
.PHONY: deb check-dkms

deb:
	scripts/build-deb

check-dkms:
	tests/dkms/check-dkms.sh
