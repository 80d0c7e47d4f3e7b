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
