#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
# Debian's 6.12 kernel in QEMU: the helper module and the drivers (tests/vm/semantics.sh).
. "$(dirname "$0")/../lib.sh"
KERNEL=deb-6.12
. "$TOP/tests/vm/semantics.sh"
