# SPDX-License-Identifier: GPL-2.0
# make         build bench/gupbench; make module: kmod/gupbench.ko (KDIR=... for other headers)
# make bench   set up what is missing, build, run the default preset, keep the result
# make test    unit, host and VM tests under prove (TAP)
# make ab      the same kernel without and with the series, booted in turn (AB_ARGS=...)
# make report  REPORT.md from report/REPORT.in.md and the result files under results/
# make install a kselftest-style tree in $(DESTDIR)$(PREFIX): gupbench, run_gupbench.sh,
#              the module's source and build-kmod.sh (kselftest/README)
LIBPERF ?= $(CURDIR)/build/libperf
export LIBPERF
PREFIX ?= /usr/local/libexec/gupbench
KST := $(DESTDIR)$(PREFIX)
KMOD_SRC := $(filter-out %.mod.c,$(wildcard kmod/*.c)) $(wildcard kmod/*.h)

all: gupbench

gupbench: $(LIBPERF)/lib/libperf.a
	@$(MAKE) --no-print-directory -C bench

$(LIBPERF)/lib/libperf.a:
	@scripts/build-libperf.sh

module:
	@$(MAKE) --no-print-directory -C kmod $(if $(KDIR),KDIR=$(KDIR))

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
	@install -m 755 bench/gupbench kselftest/run_gupbench.sh kselftest/build-kmod.sh $(KST)/
	@install -m 644 kselftest/README tests/expectations.tsv tests/expect.sh $(KST)/
	@install -m 644 kmod/Kbuild kmod/Makefile $(KMOD_SRC) $(KST)/kmod/
	@install -m 644 kmod/uapi/*.h $(KST)/kmod/uapi/
	@echo "  INSTALL $(KST)"

clean:
	@$(MAKE) --no-print-directory -C bench clean
	@$(MAKE) --no-print-directory -C tests clean
	@$(MAKE) --no-print-directory -C kmod clean 2>/dev/null || \
		rm -rf kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c kmod/.*.cmd kmod/modules.order \
		kmod/Module.symvers kmod/.module-common.o

.PHONY: all gupbench module bench ab report test install clean
