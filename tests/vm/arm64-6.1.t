#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian's arm64 6.1 kernel on qemu-system-aarch64's virt board (TCG): the semantics suite of
# deb-6.1.t with the module and gupbench cross-built (tests/vm/semantics.sh). Emulated
# arm64 timings mean nothing; outcomes and fallback counts are checked as on x86.
. "$(dirname "$0")/../lib.sh"
KERNEL=deb-6.1
ARCH=arm64
VM_TIMEOUT=900
. "$TOP/tests/vm/semantics.sh"
