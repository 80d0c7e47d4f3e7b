# SPDX-License-Identifier: GPL-2.0-only
#
# pvxen top-level Makefile.
#
#   make                 build the modules against the test kernel
#   make KDIR=<tree>     build against any prepared kernel tree
#   make check           host unit tests, then the QEMU suites (TAP)
#   make check-host      host unit tests only
#   make run             boot Xen + dom0 + a domU with pvxen-core, interactive
#   make checkpatch      checkpatch --strict over the C sources

ARCH ?= arm64
CROSS_COMPILE ?= aarch64-linux-gnu-
KDIR ?= $(shell scripts/kdir test)

KMAKE = $(MAKE) -C $(KDIR) M=$(CURDIR) ARCH=$(ARCH) CROSS_COMPILE=$(CROSS_COMPILE)

.PHONY: all modules clean check check-host check-qemu run checkpatch

all: modules

modules:
	$(KMAKE) modules

clean:
	$(KMAKE) clean
	$(MAKE) -C tests/host clean

# Test suites: NAME=COMMAND, each printing TAP; tests/run-suites merges
# them and ends with "N passed, N failed".
XEN_TESTS ?= smoke core-firstlight core-kunit
NOHYP_TESTS ?= smoke core-nohyp
HOST_SUITES = \
	'xlate=$(MAKE) -s -C tests/host check' \
	'style=scripts/checkpatch'
QEMU_SUITES = \
	'harness=tests/harness/selftest' \
	'nohyp=tests/harness/qemu-run --name nohyp --tests "$(NOHYP_TESTS)"' \
	'xen=tests/harness/xen-run --name xen --tests "$(XEN_TESTS)"'

check: modules
	tests/run-suites $(HOST_SUITES) $(QEMU_SUITES)

check-host:
	tests/run-suites $(HOST_SUITES)

check-qemu: modules
	tests/run-suites $(QEMU_SUITES)

run: modules
	tests/harness/xen-run --interactive

checkpatch:
	scripts/checkpatch
