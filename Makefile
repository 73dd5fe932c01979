# SPDX-License-Identifier: GPL-2.0
# make         build bench/gupbench; make module: kmod/gupbench.ko (KDIR=... for other headers)
# make bench   set up what is missing, build, run the default preset, keep the result
# make test    unit, host and VM tests under prove (TAP)
# make ab      the same kernel without and with the series, booted in turn (AB_ARGS=...)
# make report  REPORT.md from report/REPORT.in.md and the result files under results/
# make install a kselftest-style tree in $(DESTDIR)$(PREFIX): gupbench, run_gupbench.sh,
#              the module's source and build-kmod.sh (kselftest/README)
# make ARCH=arm64 [CROSS_COMPILE=aarch64-linux-gnu-] [SYSROOT=dir]
#              cross-build into build/arm64/: bench/gupbench, tests/vm/kmod_fuzz, libperf;
#              SYSROOT defaults to the one scripts/sysroot-fetch --arch arm64 makes.
#              make module ARCH=arm64 KDIR=<arm64 headers>, make install ARCH=arm64 too.
ifeq ($(ARCH),arm64)
include scripts/Makefile.cross
else ifneq ($(filter-out x86 x86_64 $(if $(ARCH),$(shell uname -m)),$(ARCH)),)
$(error ARCH=$(ARCH): only ARCH=arm64 can be cross-built)
endif
LIBPERF ?= $(CURDIR)/build/libperf
export LIBPERF
PREFIX ?= /usr/local/libexec/gupbench
KST := $(DESTDIR)$(PREFIX)
KMOD_SRC := $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h)
GUPBENCH_BIN ?= bench/gupbench

all: gupbench

gupbench: $(LIBPERF)/lib/libperf.a
	@$(MAKE) --no-print-directory -C bench $(CROSS_BENCH)
	$(if $(CROSS_FUZZ),@$(MAKE) --no-print-directory -C tests $(CROSS_FUZZ))

$(LIBPERF)/lib/libperf.a:
	@$(CROSS_LIBPERF) scripts/build-libperf.sh

module:
	@$(MAKE) --no-print-directory -C kmod $(if $(KDIR),KDIR=$(KDIR)) $(CROSS_MODULE)

bench:
	@scripts/bench.sh

ab: gupbench
	@scripts/ab $(AB_ARGS)

report: gupbench
	@bench/gupbench report

test:
	@if [ "$$(id -u)" -eq 0 ]; then scripts/setup.sh; else echo "test: not root: not installing packages; tests that need root skip" >&2; fi
	@$(MAKE) --no-print-directory gupbench
	@$(MAKE) --no-print-directory -C tests
	@# VM tests skipped because Debian's archive cannot be reached append a line to
	@# build/vm-skipped.txt (tests/lib.sh): say so after prove's summary, whatever its result.
	@rm -f build/vm-skipped.txt
	@prove --exec '' $(PROVE_FLAGS) tests/unit/*.t tests/host/*.t $(if $(NO_VM),,$$(ls tests/vm/*.t 2>/dev/null)); \
	rc=$$?; \
	if [ -s build/vm-skipped.txt ]; then \
		echo "make test: VM tests SKIPPED (Debian's archive cannot be reached, no kernel cached): $$(cut -d: -f1 build/vm-skipped.txt | sort -u | paste -sd' ')"; \
		cut -d: -f2- build/vm-skipped.txt | sort -u | sed 's/^ */  /'; \
		rm -f build/vm-skipped.txt; \
	fi; \
	exit $$rc

install: gupbench
	@install -d $(KST)/kmod/uapi
	@install -m 755 $(GUPBENCH_BIN) kselftest/run_gupbench.sh kselftest/build-kmod.sh $(KST)/
	@install -m 644 kselftest/README tests/expectations.tsv tests/expect.sh $(KST)/
	@install -m 644 kmod/Kbuild kmod/Makefile $(KMOD_SRC) $(KST)/kmod/
	@install -m 644 kmod/uapi/*.h $(KST)/kmod/uapi/
	@echo "  INSTALL $(KST)"

clean:
ifneq ($(CROSS_OUT),)
	@rm -rf $(CROSS_OUT)/bench $(CROSS_OUT)/tests
else
	@$(MAKE) --no-print-directory -C bench clean
	@$(MAKE) --no-print-directory -C tests clean
	@$(MAKE) --no-print-directory -C kmod clean 2>/dev/null || \
		rm -rf kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd kmod/modules.order \
		kmod/Module.symvers kmod/.module-common.o
endif

.PHONY: all gupbench module bench ab report test install clean
