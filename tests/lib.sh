# SPDX-License-Identifier: GPL-2.0
# TAP helpers for shell tests run under prove. Source it, call plan, then ok/skip.
TOP=$(cd "$(dirname "$0")/../.." && pwd)
GUPBENCH=${GUPBENCH:-$TOP/bench/gupbench}
_n=0
_failed=0

plan() { echo "1..$1"; }
skip_all() { echo "1..0 # SKIP $*"; exit 4; }
# ok COND_EXIT_STATUS DESCRIPTION: pass the status of the check, e.g. ok $? "..."
ok() {
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $_n - $2"; else echo "not ok $_n - $2"; _failed=$((_failed + 1)); fi
}
skip() { _n=$((_n + 1)); echo "ok $_n - $1 # SKIP $2"; }
diag() { echo "# $*"; }
done_testing() { [ "$_failed" -eq 0 ]; exit $?; }
