#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Runs inside a test-bed guest: the module's fuzzer (tests/vm/kmod_fuzz) with the pin
# balance around it (stat_refresh folds per-CPU deltas). Writes pins-before.txt,
# fuzz.tap, fuzz.err, fuzz.rc and pins-after.txt into the working folder; checked on
# the host by fuzz_checks (tests/vm/fuzz-checks.sh).
set -u
pins() { echo 1 >/proc/sys/vm/stat_refresh; grep -E '^nr_foll_pin_(acquired|released) ' /proc/vmstat; }
pins >pins-before.txt
"$GUPBENCH_TOP/tests/vm/kmod_fuzz" >fuzz.tap 2>fuzz.err
echo $? >fuzz.rc
pins >pins-after.txt
exit 0
