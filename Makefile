# SPDX-License-Identifier: GPL-2.0
#
# miniproc: build, install and test. `make help` lists the targets.
#
# The module is built out of tree from the top-level Kbuild, once per
# kernel, each in its own directory build/<kernel release>/ (a tree of
# symlinks to the sources, which kbuild fills with objects), so builds for
# several kernels never clobber each other. Everything generated lives
# under build/; a clean clone needs nothing else.

# The one version number (tools/tests/version-test.sh checks what repeats it:
# dkms.conf, debian/changelog).
VERSION := $(shell cat VERSION)

# Every installed kernel that has headers, oldest first; KVER picks one,
# the newest by default. KERNELRELEASE/KERNELDIR as in other out-of-tree
# modules; none of these names a version: they are all discovered.
ifeq ($(origin KVERS),undefined)
KVERS := $(shell tools/kernels.sh)
endif
# DEBUG=6.1, DEBUG=6.12 or DEBUG=7.3 (the newest: tools/newest-kernel.sh):
# the same targets on a debug kernel (KASAN, lockdep, kmemleak, fault
# injection) built from Debian's linux-source-$(DEBUG) by
# tools/debug-kernel/build.sh, cached outside the repository. KVER becomes its release, KERNELDIR its build tree, and the
# VM boots its bzImage; the time limits grow, as KASAN under emulation is
# several times slower.
# DEBUG_PKGVER picks a version of a fetched linux-source-$(DEBUG) (the
# newest kernel: tools/newest-kernel.sh), the newest fetched by default.
DEBUG ?=
DEBUG_PKGVER ?=
export MINIPROC_SOURCE_VERSION := $(DEBUG_PKGVER)
ifneq ($(DEBUG),)
DEBUG_KERNEL := $(shell MINIPROC_SOURCE_VERSION='$(DEBUG_PKGVER)' tools/debug-kernel/build.sh --query $(DEBUG))
ifeq ($(words $(DEBUG_KERNEL)),2)
override KVER := $(word 2,$(DEBUG_KERNEL))
override KERNELRELEASE := $(KVER)
override KERNELDIR := $(word 1,$(DEBUG_KERNEL))
export VM_KERNEL := $(KERNELDIR)/arch/x86/boot/bzImage
VM_TIMEOUT ?= 3600
# 100k fuzzer operations take about 15 minutes there.
export VM_TEST_TIMEOUT ?= 1200
# A hung task is still a failure, but a KASAN kernel may take minutes
# over what the stock one does in seconds.
export VM_APPEND += mpvm_hung_task_secs=600
else
$(error DEBUG=$(DEBUG): no debug kernel for it (tools/debug-kernel/build.sh --query $(DEBUG) failed))
endif
endif

KERNELRELEASE ?= $(lastword $(KVERS))
KVER ?= $(KERNELRELEASE)
KERNELDIR ?= /lib/modules/$(KVER)/build

# `make install` targets the running kernel unless KVER is given.
ifneq ($(filter command line environment,$(origin KVER)),)
INSTALL_KVER ?= $(KVER)
else
INSTALL_KVER ?= $(shell uname -r)
endif

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
# Where bash-completion looks first, whatever PREFIX is.
BASHCOMPDIR ?= /usr/share/bash-completion/completions
DESTDIR ?=
DEPMOD ?= depmod

VM_TIMEOUT ?= 600
# ONLY="events_test cli": vm-check runs only these test programs (a quick
# loop; results then cover only them).
ONLY ?=
export VM_ONLY := $(ONLY)
VM_EXTRA_BINS ?=
V ?= 0

BUILD := $(CURDIR)/build
OBJDIR := $(BUILD)/$(KVER)
MODSRC := $(OBJDIR)/src
LINUX_SRC := $(BUILD)/linux-source
KSFT_DIR := $(LINUX_SRC)/tools/testing/selftests
CHECKPATCH := $(LINUX_SRC)/scripts/checkpatch.pl
SELFTESTS_OUT := $(BUILD)/selftests
SELFTESTS_INSTALL := $(BUILD)/selftests-install
INITRD := $(OBJDIR)/initramfs.cpio.gz

MODULE_SOURCES := $(wildcard module/*.c module/*.h)
UAPI_HEADERS := $(wildcard uapi/linux/*.h)
SELFTESTS_VARS := KSFT_DIR=$(KSFT_DIR) OUTPUT=$(SELFTESTS_OUT)

all: module

help:
	@echo 'miniproc $(VERSION): targets (KVER=<release> picks the kernel, default $(KVER))'
	@echo '  module       build build/<KVER>/miniproc.ko (the default target)'
	@echo '  cli          build the miniproc command, cli/miniproc'
	@echo '  selftests    build the kselftest programs'
	@echo '  vm-check     build everything, boot KVER in qemu, run every test there'
	@echo '               (ONLY="events_test cli": just those programs)'
	@echo '  check-quick  check without the debug kernels (minutes, not an hour)'
	@echo '  debug-kernel build (or find cached) the debug kernel DEBUG=6.1|6.12;'
	@echo '               with DEBUG= set, every VM target boots that kernel'
	@echo '  check        host deps, static gates, dkms build and vm-check on every'
	@echo '               kernel ($(KVERS)), then on the debug kernels'
	@echo '               (DEBUG_VERSIONS, default all); ends with "N passed, N failed"'
	@echo '  shell        interactive VM shell with the module loaded and the CLI on PATH'
	@echo '  demo         install host packages, build, boot and run the narrated tour'
	@echo '  soak         a long run of the ioctl fuzzer alone in the VM: SOAK_OPS (default'
	@echo '               $(SOAK_OPS)) or SOAK_SECONDS, SOAK_SEED; by hand, not in check'
	@echo '  vm-run       run RUN="SCRIPT [ARG]..." in the VM (e.g. RUN=examples/zombie.sh);'
	@echo '               its output and files land in build/<KVER>/run/'
	@echo '  timeline-svg docs/timeline.svg from a real run of examples/cpu-vs-io.sh'
	@echo '  reliability-report  the figures of the last check into docs/reliability.md'
	@echo '  bench        run the benchmark in the VM; results in build/<KVER>/bench/,'
	@echo '               docs/performance.md and docs/bench-scale.svg regenerated'
	@echo '  bench-build  build the benchmark program and its module (a gate of check)'
	@echo '  deps         install the Debian packages the build and the VM need'
	@echo '  style        checkpatch --strict on module/, uapi/ and bench/kmod/'
	@echo '  sparse       sparse (C=2) on the module for KVER'
	@echo '  w1           W=1 build of the module for KVER, warnings fail'
	@echo '  uapi-check   compile uapi/linux/miniproc.h alone as C99 and as C++'
	@echo '  dkms-check   dkms build for each of KVERS in a private dkms tree'
	@echo '  cli-test     host-side unit tests of the CLI'
	@echo '  version-check  VERSION, dkms.conf, debian/changelog, the module, --version agree'
	@echo '  man-check    lint the man pages; check them and the bash completion against'
	@echo '               the CLI, the uapi header and the module (tools/tests/man-test.sh)'
	@echo '  install      install the module for the running kernel (or KVER), the CLI, its'
	@echo '               man pages and bash completion, and a udev rule giving'
	@echo '               /dev/miniproc to the miniproc group (0660)'
	@echo '  install-doc  install only miniproc(1), miniproc(4) and the bash completion'
	@echo '  dkms-install register the sources with DKMS and install through it'
	@echo '  uninstall    remove what install and dkms-install put in place'
	@echo '  deb          build the Debian packages miniproc-dkms and miniproc-utils in build/deb/'
	@echo '  deb-lint     lintian on both packages: no errors, no warnings'
	@echo '  deb-check    build, lint, install, check and purge both packages on this host (root)'
	@echo '  check-install  the packages in a VM booting a real Debian 12 (debootstrap, cached):'
	@echo '               apt install, DKMS build, modprobe, udev, a user in and out of the'
	@echo '               miniproc group (root; about 20 minutes; not part of check)'
	@echo '  clean        remove build/ and the CLI and selftests build products'
	@echo 'Variables: KVER KVERS KERNELDIR DEBUG VM_TIMEOUT VM_TEST_TIMEOUT VM_EXTRA_BINS V=1 RUN PREFIX DESTDIR'
	@echo '           INSTALL_VM_TIMEOUT (check-install; MINIPROC_CACHE moves its Debian image)'
	@echo '           BINDIR MANDIR BASHCOMPDIR (where install puts the CLI, its pages, its completion)'
	@echo '           VM_FUZZ_OPS VM_FUZZ_SECONDS VM_FUZZ_SEED (the fuzzer in vm-check)'
	@echo '           SOAK_OPS SOAK_SECONDS SOAK_SEED SOAK_FUZZ_ARGS SOAK_VM_TIMEOUT'
	@echo '           BENCH_ARGS BENCH_ICOUNT BENCH_TIMEOUT BENCH_VM_MEM'

# --- the module --------------------------------------------------------

# $(call srctree,DIR): make DIR a tree of symlinks to the module sources.
# Stale links (a source file removed) go first; kbuild's objects, which
# are real files, stay, so builds remain incremental.
define srctree
	@mkdir -p $(1)
	@find $(1) -xtype l -delete
	@cp -rsf $(CURDIR)/Kbuild $(CURDIR)/VERSION $(CURDIR)/module $(CURDIR)/uapi $(1)/
endef

kernel-ok:
ifneq ($(DEBUG),)
	@tools/debug-kernel/build.sh $(DEBUG) >/dev/null
endif
	@if [ -z "$(KVER)" ] || [ ! -d "$(KERNELDIR)" ]; then \
		echo "no kernel headers for '$(KVER)' at $(KERNELDIR);" \
			"kernels with headers: $(or $(KVERS),none (make deps installs them))." \
			"KVER=<release> picks one." >&2; \
		exit 1; \
	fi

module: kernel-ok
	$(call srctree,$(MODSRC))
	$(MAKE) -C $(KERNELDIR) M=$(MODSRC) modules
	@cp $(MODSRC)/miniproc.ko $(OBJDIR)/miniproc.ko
	@echo "  MODULE  $(OBJDIR)/miniproc.ko"

# --- userspace -----------------------------------------------------------

cli:
	$(MAKE) -C cli

cli-test:
	$(MAKE) -C cli test

# VERSION against what repeats it (dkms.conf, debian/changelog) and what
# is built from it (MODULE_VERSION(), miniproc --version).
version-check:
	@tools/tests/version-test.sh

.PHONY: version-check

# The manuals and the completion against the code they describe.
man-check: cli
	@tools/tests/man-test.sh cli/miniproc

# The kselftest harness and checkpatch come from Debian's linux-source
# tarball, extracted under build/, never copied into the repository.
$(LINUX_SRC)/.extracted:
	@tools/linux-source.sh $(LINUX_SRC)

# build/ksft is where selftests/Makefile looks by default, so that
# `make -C selftests` works on its own once this has run; an existing
# build/ksft (someone's own copy) is left alone.
ksft: $(LINUX_SRC)/.extracted
	@[ -e $(BUILD)/ksft ] || [ -L $(BUILD)/ksft ] || ln -s linux-source/tools/testing/selftests $(BUILD)/ksft

selftests: ksft
	@mkdir -p $(SELFTESTS_OUT)
	$(MAKE) -C selftests $(SELFTESTS_VARS)

# Installed selftests plus tests.list, the programs in kselftest run order,
# as paths relative to the install directory: from the kselftest-list.txt
# ("collection:test") the install wrote, if any, else read from the
# selftests Makefiles themselves (TEST_GEN_PROGS, TEST_CUSTOM_PROGS,
# TEST_PROGS, TARGETS) by tools/ksft-list.mk.
selftests-install: selftests
	@rm -rf $(SELFTESTS_INSTALL)
	$(MAKE) -C selftests install INSTALL_PATH=$(SELFTESTS_INSTALL) $(SELFTESTS_VARS)
	@tools/vm/tests-list.sh $(SELFTESTS_INSTALL) >$(SELFTESTS_INSTALL)/tests.list || \
		$(MAKE) -s --no-print-directory -C selftests -f Makefile \
			-f $(CURDIR)/tools/ksft-list.mk $(SELFTESTS_VARS) ksft-list \
			>$(SELFTESTS_INSTALL)/tests.list
	@echo "  TESTS   $$(tr '\n' ' ' <$(SELFTESTS_INSTALL)/tests.list)"

debug-kernel:
	@if [ -z "$(DEBUG)" ]; then \
		echo "usage: make debug-kernel DEBUG=VERSION (6.1, 6.12: Debian's linux-source-VERSION)" >&2; \
		exit 2; \
	fi
	@tools/debug-kernel/build.sh $(DEBUG)

# --- the VM ------------------------------------------------------------

initramfs: module cli selftests-install
	@tools/vm/mkinitramfs.sh -o $(INITRD) -k $(KVER) -m $(OBJDIR)/miniproc.ko \
		-c cli/miniproc -t $(SELFTESTS_INSTALL) $(foreach b,$(VM_EXTRA_BINS),-x $(b))

# Boot, run every test, judge the TAP stream and the console log; the
# counting rules are in tools/vm/results.sh. Leaves $(OBJDIR)/results.txt.
vm-check: initramfs
	@rm -f $(OBJDIR)/results.txt
	@tools/vm/run.sh -m check -k $(KVER) -i $(INITRD) -o $(OBJDIR) \
		-t $(VM_TIMEOUT) $(if $(filter 1,$(V)),-v) || :
	@tools/vm/results.sh $(KVER) $(OBJDIR) >$(OBJDIR)/results.txt
	@tools/tally.sh -l "vm-check $(KVER)" $(OBJDIR)/results.txt

shell: initramfs
	@tools/vm/run.sh -m shell -k $(KVER) -i $(INITRD) -o $(OBJDIR)

demo: deps
	@$(MAKE) --no-print-directory initramfs
	@tools/vm/run.sh -m demo -k $(KVER) -i $(INITRD) -o $(OBJDIR) -t $(VM_TIMEOUT)

# One script in the VM, with examples/ beside it; tools/vm/capture.sh
# brings back what it printed and the files it wrote.
RUN ?=
CAPTURE := tools/vm/capture.sh -k $(KVER) -i $(INITRD) -o $(OBJDIR)/run \
	-t $(VM_TIMEOUT) -f examples

vm-run: initramfs
	@if [ -z "$(RUN)" ]; then \
		echo "usage: make vm-run RUN='SCRIPT [ARG]...', e.g. RUN=examples/zombie.sh" >&2; \
		exit 2; \
	fi
	@$(CAPTURE) $(RUN)

# A long fuzz, by hand: the ioctl fuzzer (selftests/fuzz) alone in the VM,
# SOAK_OPS operations, or for SOAK_SECONDS if that is given, with a seed of
# its own or SOAK_SEED, and SOAK_FUZZ_ARGS (more options of fuzz_test, e.g.
# "--threads 8 --procs 3"); then the kernel log is searched for splats.
# Results in build/<KVER>/soak/.
SOAK_OPS ?= 2000000
SOAK_SECONDS ?=
SOAK_SEED ?=
SOAK_VM_TIMEOUT ?= 14400
SOAK_FUZZ_ARGS ?=
SOAK_ARGS := $(if $(SOAK_SECONDS),--seconds $(SOAK_SECONDS),--ops $(SOAK_OPS)) \
	$(if $(SOAK_SEED),--seed $(SOAK_SEED)) $(SOAK_FUZZ_ARGS)

soak: initramfs
	@tools/vm/soak.sh -k $(KVER) -i $(INITRD) -o $(OBJDIR)/soak \
		-t $(SOAK_VM_TIMEOUT) -- $(SOAK_ARGS)

# The README's picture: what `miniproc trace --svg` drew in a real run.
timeline-svg: initramfs
	@$(CAPTURE) examples/cpu-vs-io.sh timeline.svg
	@mkdir -p docs
	@cp $(OBJDIR)/run/files/timeline.svg docs/timeline.svg
	@echo "  SVG     docs/timeline.svg"

# --- the benchmark (issue 6) -------------------------------------------

# The program is kernel-independent; the benchmark-only module is built per
# kernel, always with W=1, and a warning in its own files fails the build.
BENCH_OUT := $(OBJDIR)/bench
BENCH_KMOD := $(BENCH_OUT)/kmod
BENCH_PROG := $(BUILD)/bench/miniproc-bench
# capture.sh takes the files along by a path relative to this directory.
BENCH_STAGE := build/$(KVER)/bench/stage
BENCH_TIMEOUT ?= 3600
BENCH_VM_MEM ?= 2048
BENCH_ARGS ?=
# Guest time counted in instructions executed, not host time: see
# docs/performance.md. Empty for the plain TCG clock, which 6.1 gets: its
# boot hangs bringing up the second CPU under -icount (with shift 0 or
# auto, sleep on or off).
BENCH_ICOUNT_ON := shift=0,sleep=off
BENCH_ICOUNT ?= $(if $(filter 6.1.%,$(KVER)),,$(BENCH_ICOUNT_ON))

bench-prog:
	$(MAKE) -C bench OUTPUT=$(BUILD)/bench

bench-kmod: kernel-ok
	@mkdir -p $(BENCH_KMOD)
	@find $(BENCH_KMOD) -xtype l -delete
	@cp -rsf $(CURDIR)/bench/kmod/. $(BENCH_KMOD)/
	@$(MAKE) -C $(KERNELDIR) M=$(BENCH_KMOD) W=1 modules \
		>$(BENCH_OUT)/kmod.log 2>&1 || { cat $(BENCH_OUT)/kmod.log; exit 1; }
	@if grep -E ': (warning|error):' $(BENCH_OUT)/kmod.log | grep -q miniproc_bench; then \
		grep -E ': (warning|error):' $(BENCH_OUT)/kmod.log | grep miniproc_bench; \
		echo "bench/kmod: W=1 findings (log: $(BENCH_OUT)/kmod.log)"; exit 1; fi
	@echo "  MODULE  $(BENCH_KMOD)/miniproc_bench.ko (W=1, no findings)"

bench-build: module bench-kmod bench-prog

# One VM run: the benchmark, then an ftrace look at the ioctls and hooks;
# everything it wrote comes back to $(BENCH_OUT)/run/files/, from which
# docs/performance.md's table and docs/bench-scale.svg are made.
bench: initramfs bench-kmod bench-prog
	@rm -rf $(BENCH_STAGE)
	@mkdir -p $(BENCH_STAGE)
	@cp bench/vm-bench.sh $(BENCH_PROG) $(BENCH_KMOD)/miniproc_bench.ko $(BENCH_STAGE)/
	@status=0; VM_MEM=$(BENCH_VM_MEM) VM_ICOUNT=$(BENCH_ICOUNT) tools/vm/capture.sh -k $(KVER) -i $(INITRD) \
		-o $(BENCH_OUT)/run -t $(BENCH_TIMEOUT) -f $(BENCH_STAGE) \
		$(BENCH_STAGE)/vm-bench.sh $(BENCH_ARGS) || status=$$?; \
	mkdir -p $(BENCH_OUT)/run/files; \
	echo "$(BENCH_ICOUNT)" >$(BENCH_OUT)/run/files/icount; \
	bench/report.sh $(BENCH_OUT)/run/files docs $(KVER) && exit $$status

deps:
	@tools/host-deps.sh

reliability-report:
	@tools/reliability-report.sh docs/reliability.md

# --- static gates ------------------------------------------------------

BENCH_KMOD_SOURCES := $(wildcard bench/kmod/*.c bench/kmod/*.h)

style: ksft
	@echo "  CHECKPATCH $(MODULE_SOURCES) $(UAPI_HEADERS) $(BENCH_KMOD_SOURCES)"
	@perl $(CHECKPATCH) --strict --no-tree --terse --no-summary --show-types \
		-f $(MODULE_SOURCES) $(UAPI_HEADERS) $(BENCH_KMOD_SOURCES)

# SPARSE: the sparse to run (check gives the newest kernel the newest
# sparse: tools/newest-kernel.sh sparse).
SPARSE ?= sparse
# C=2 checks every file, built or not; the module is built first so only
# sparse runs. Counted are diagnostics in our own files; the kernel's own
# headers are not ours to fix.
sparse: module
	@$(MAKE) -C $(KERNELDIR) M=$(MODSRC) C=2 CHECK=$(SPARSE) modules \
		>$(OBJDIR)/sparse.log 2>&1 || { cat $(OBJDIR)/sparse.log; exit 1; }
	@tools/findings.sh sparse $(OBJDIR)/sparse.log $(MODSRC)

# A fresh W=1 build in a directory of its own (W=1 changes the flags, so
# sharing the module's directory would rebuild it every time).
w1: kernel-ok
	$(call srctree,$(OBJDIR)/w1)
	@$(MAKE) -s -C $(KERNELDIR) M=$(OBJDIR)/w1 clean
	@$(MAKE) -C $(KERNELDIR) M=$(OBJDIR)/w1 W=1 modules \
		>$(OBJDIR)/w1.log 2>&1 || { cat $(OBJDIR)/w1.log; exit 1; }
	@tools/findings.sh W=1 $(OBJDIR)/w1.log $(OBJDIR)/w1

UAPI_CFLAGS := -Wall -Werror -fsyntax-only -I$(CURDIR)/uapi

uapi-c:
	@mkdir -p $(BUILD)/uapi
	@echo '#include <linux/miniproc.h>' >$(BUILD)/uapi/uapi-test.c
	gcc $(UAPI_CFLAGS) -std=c99 $(BUILD)/uapi/uapi-test.c

uapi-cxx:
	@mkdir -p $(BUILD)/uapi
	@echo '#include <linux/miniproc.h>' >$(BUILD)/uapi/uapi-test.cc
	g++ $(UAPI_CFLAGS) $(BUILD)/uapi/uapi-test.cc

uapi-check: uapi-c uapi-cxx

# DKMS_KERNELDIR: the build tree of a kernel not installed in /lib/modules
# (a debug kernel), for one kernel in KVERS.
DKMS_KERNELDIR ?=
dkms-check:
	@DKMS_KERNELDIR='$(DKMS_KERNELDIR)' tools/dkms-check.sh $(VERSION) $(KVERS)

# Static gates, dkms and vm-check on every kernel, then the same suite on
# the debug kernels and the newest kernel (built once in the background
# while the gates run, ~10-20 minutes each on two cores, then cached), with
# kmemleak and the fuzzer at 50k operations; one tally at the end.
# DEBUG_VERSIONS="6.12" picks debug kernels, "none" leaves them out.
DEBUG_VERSIONS ?= all
check:
	@MAKE="$(MAKE)" KVERS="$(KVERS)" DEBUG_VERSIONS="$(DEBUG_VERSIONS)" tools/check.sh

# The same without the debug kernels: the loop while developing.
check-quick:
	@MAKE="$(MAKE)" KVERS="$(KVERS)" DEBUG_VERSIONS=none tools/check.sh

# --- Debian packages (debian/) ------------------------------------------

# dpkg-buildpackage runs in a copy of the tree (the files git tracks or
# would track, committed or not) under build/deb/, never in the tree
# itself: its dynamically linked cli/miniproc must not stand in for the
# static one the VM needs. The .debs land in build/deb/.
DEB_OUT := $(BUILD)/deb
DEB_TREE := $(DEB_OUT)/miniproc-$(VERSION)
DEB_ARCH := $(shell dpkg --print-architecture 2>/dev/null)
DEBS := $(DEB_OUT)/miniproc-dkms_$(VERSION)_all.deb \
	$(DEB_OUT)/miniproc-utils_$(VERSION)_$(DEB_ARCH).deb

deb:
	@rm -rf $(DEB_OUT)
	@mkdir -p $(DEB_TREE)
	@git ls-files -co --exclude-standard -z | xargs -0 cp -P --parents -t $(DEB_TREE)
	cd $(DEB_TREE) && dpkg-buildpackage -us -uc -b
	@ls $(DEBS) >/dev/null
	@for d in $(DEBS); do echo "  DEB     $$d"; done

# lintian on both packages: any error or warning fails (overrides, each
# with its reason, in debian/*.lintian-overrides).
deb-lint:
	lintian --fail-on error,warning --info $(DEBS)

# Build, lint, install both packages on this host, look at what DKMS and
# dpkg did, purge them and look again (tools/tests/deb-test.sh; as root).
deb-check:
	@tools/tests/deb-test.sh

# The whole path a user takes, on a Debian 12 booted in qemu (its root
# filesystem made once by debootstrap and cached outside the repository):
# apt installs both packages, DKMS builds the module for the guest's
# kernel, then modprobe, the device udev made, a user in the miniproc group
# and one outside it (tools/install-vm/). DKMS compiling under emulation
# takes minutes, so this is its own target, not part of check.
INSTALL_VM_TIMEOUT ?= 3600

check-install:
	@nice -n 10 $(MAKE) --no-print-directory deb
	@INSTALL_VM_TIMEOUT=$(INSTALL_VM_TIMEOUT) tools/install-vm/check.sh

.PHONY: deb deb-lint deb-check check-install

# --- installing --------------------------------------------------------

INSTALL_KDIR := /lib/modules/$(INSTALL_KVER)/build

# Debian does not ship its module signing key; without it kbuild's attempt
# to sign fails, harmlessly but loudly, so it is only made with a key.
# The device goes to the miniproc group, mode 0660 (udev/60-miniproc.rules):
# an unprivileged user must be in that group to create mini-processes.
UDEV_RULES := $(DESTDIR)/etc/udev/rules.d/60-miniproc.rules

install-udev:
	install -D -m 0644 udev/60-miniproc.rules $(UDEV_RULES)
	@if [ -z "$(DESTDIR)" ]; then \
		getent group miniproc >/dev/null || groupadd --system miniproc; \
		if command -v udevadm >/dev/null; then \
			udevadm control --reload-rules || :; \
			udevadm trigger --subsystem-match=misc --sysname-match=miniproc || :; \
		fi; \
		echo "Add users who may create mini-processes to the miniproc group."; \
	fi

# The manuals and the bash completion; install and dkms-install include it.
install-doc:
	install -D -m 0644 man/miniproc.1 $(DESTDIR)$(MANDIR)/man1/miniproc.1
	install -D -m 0644 man/miniproc.4 $(DESTDIR)$(MANDIR)/man4/miniproc.4
	install -D -m 0644 completion/miniproc $(DESTDIR)$(BASHCOMPDIR)/miniproc

# A kernel built with its own key (certs/signing_key.pem) has kbuild sign
# the module at modules_install. Otherwise, where DKMS's machine owner key
# exists (both halves: dkms makes it on its first signed build), the module
# is signed with it (tools/sign-module.sh), as DKMS signs its own builds; a
# Secure Boot user enrolls it once with `mokutil --import $(MOK_CERT)`.
# DESTDIR holds for the module too (INSTALL_MOD_PATH, depmod -b).
MOK_KEY ?= /var/lib/dkms/mok.key
MOK_CERT ?= /var/lib/dkms/mok.pub
KERNEL_SIGNS := $(wildcard $(INSTALL_KDIR)/certs/signing_key.pem)
INSTALL_MOD := $(DESTDIR)/lib/modules/$(INSTALL_KVER)/extra

install: install-udev install-doc
	@$(MAKE) --no-print-directory module KVER=$(INSTALL_KVER) KERNELDIR=$(INSTALL_KDIR)
	$(MAKE) -C $(INSTALL_KDIR) M=$(BUILD)/$(INSTALL_KVER)/src modules_install \
		INSTALL_MOD_PATH=$(DESTDIR) INSTALL_MOD_DIR=extra \
		$(if $(KERNEL_SIGNS),,CONFIG_MODULE_SIG_ALL=)
	@if [ -z "$(KERNEL_SIGNS)" ] && [ -f "$(MOK_KEY)" ] && [ -f "$(MOK_CERT)" ]; then \
		tools/sign-module.sh $(INSTALL_KDIR) $(MOK_KEY) $(MOK_CERT) \
			"$$(ls $(INSTALL_MOD)/miniproc.ko*)"; \
	elif [ -z "$(KERNEL_SIGNS)" ]; then \
		echo "  SIGN    not signed: no $(MOK_KEY) and $(MOK_CERT) (see README: Secure Boot)"; \
	fi
	$(DEPMOD) $(if $(DESTDIR),-b $(DESTDIR)) -a $(INSTALL_KVER)
	@$(MAKE) --no-print-directory cli
	install -D -m 0755 cli/miniproc $(DESTDIR)$(BINDIR)/miniproc

DKMS_SRC := /usr/src/miniproc-$(VERSION)

dkms-install: install-udev install-doc
	@if dkms status -m miniproc -v $(VERSION) | grep -q .; then \
		dkms remove -m miniproc -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	mkdir -p $(DKMS_SRC)
	cp -r dkms.conf Kbuild VERSION module uapi $(DKMS_SRC)/
	dkms add -m miniproc -v $(VERSION)
	dkms install -m miniproc -v $(VERSION) -k $(INSTALL_KVER)
	@$(MAKE) --no-print-directory cli
	install -D -m 0755 cli/miniproc $(DESTDIR)$(BINDIR)/miniproc

uninstall:
	@if command -v dkms >/dev/null && dkms status -m miniproc | grep -q .; then \
		dkms remove -m miniproc -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	rm -f /lib/modules/$(INSTALL_KVER)/extra/miniproc.ko* \
		/lib/modules/$(INSTALL_KVER)/updates/miniproc.ko*
	-@rmdir /lib/modules/$(INSTALL_KVER)/extra /lib/modules/$(INSTALL_KVER)/updates \
		2>/dev/null || :
	$(DEPMOD) -a $(INSTALL_KVER)
	rm -f $(DESTDIR)$(BINDIR)/miniproc $(UDEV_RULES)
	rm -f $(DESTDIR)$(MANDIR)/man1/miniproc.1 $(DESTDIR)$(MANDIR)/man4/miniproc.4 \
		$(DESTDIR)$(BASHCOMPDIR)/miniproc

clean:
	-@[ ! -f cli/Makefile ] || $(MAKE) -C cli clean
	-@[ ! -f bench/Makefile ] || $(MAKE) -C bench clean
	-@[ ! -f selftests/Makefile ] || $(MAKE) -C selftests clean $(SELFTESTS_VARS)
	rm -rf $(BUILD)

.PHONY: all help kernel-ok module cli cli-test ksft selftests selftests-install \
	initramfs vm-check shell demo vm-run soak timeline-svg bench-prog bench-kmod \
	bench-build bench deps style sparse w1 \
	uapi-c uapi-cxx uapi-check dkms-check check install dkms-install \
	uninstall install-udev clean debug-kernel reliability-report check-quick \
	man-check install-doc
