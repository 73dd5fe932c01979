# SPDX-License-Identifier: GPL-2.0
# Expectations from tests/expectations.tsv, and checks of result cases against them.
# Needs jq. Source after tests/lib.sh.
EXPECTATIONS=${EXPECTATIONS:-$TOP/tests/expectations.tsv}

# kver_le A B: true if major.minor A <= B
kver_le() {
	local a1=${1%%.*} a2=${1#*.} b1=${2%%.*} b2=${2#*.}
	a2=${a2%%.*}; b2=${b2%%.*}
	[ "$a1" -lt "$b1" ] || { [ "$a1" -eq "$b1" ] && [ "$a2" -le "$b2" ]; }
}

# expect KVER DRIVER KIND STATE OP FLAGS -> "status errno fallback"
expect() {
	local kv=$1 drv=$2 bk=$3 st=$4 op=$5 fl=$6
	local kmin kmax d b s o f status err fb
	while IFS=$'\t' read -r kmin kmax d b s o f status err fb; do
		case $kmin in ''|\#*) continue ;; esac
		kver_le "$kmin" "$kv" && kver_le "$kv" "$kmax" || continue
		[ "$d" = '*' ] || [ "$d" = "$drv" ] || continue
		[ "$b" = '*' ] || [ "$b" = "$bk" ] || continue
		[ "$s" = '*' ] || [ "$s" = "$st" ] || continue
		[ "$o" = '*' ] || [ "$o" = "$op" ] || continue
		[ "$f" = '*' ] || [ "$f" = "$fl" ] || continue
		echo "$status $err $fb"
		return 0
	done < "$EXPECTATIONS"
	return 1
}

# case_kind CASE_JSON: what the kernel keys on (see tests/expectations.tsv), from the
# backing and what it really got: a file backing's filesystem and sharing decide.
case_kind() {
	jq -r '.backing as $b | (.backing_actual // {}) as $a
		| if ($b == "file-shared" or $b == "file-private") and $a.folios == "shmem" then
			(if $b == "file-shared" then "shmem" else "shmem-private" end)
		  elif $b == "file-shared" and $a.dirty_tracking == false then "shmem"
		  else $b end' <<<"$1"
}

# check_case FILE INDEX KVER: one TAP line per aspect (status, errno, fallback, pins).
check_case() {
	local file=$1 i=$2 kv=$3 c drv bk kind st op fl status err fbsrc cpo frac what exp
	c=$(jq -c ".cases[$i]" "$file")
	drv=$(jq -r .driver <<<"$c"); bk=$(jq -r .backing <<<"$c"); st=$(jq -r .state <<<"$c")
	op=$(jq -r '.op // "-"' <<<"$c"); fl=$(jq -r '.flags | join(",")' <<<"$c")
	[ -n "$fl" ] || fl=none
	status=$(jq -r .status <<<"$c"); err=$(jq -r '.errno // "-"' <<<"$c")
	kind=$(case_kind "$c")
	what="$kv $drv/$bk/$st${op:+/$op}/$fl"
	[ "$kind" = "$bk" ] || what="$what ($kind on $(jq -r '.backing_actual.fs' <<<"$c"))"
	if [ "$status" = skipped ]; then
		skip "$what" "$(jq -r .reason <<<"$c")"
		return
	fi
	if ! exp=$(expect "$kv" "$drv" "$kind" "$st" "$op" "$fl"); then
		ok 1 "$what: no expectation in tests/expectations.tsv"
		return
	fi
	set -- $exp
	[ "$status" = "$1" ]; ok $? "$what: status $status (expected $1)"
	if [ "$1" = ok ]; then
		local req done
		req=$(jq -r .pages_requested_per_op <<<"$c"); done=$(jq -r .pages_done_per_op <<<"$c")
		[ "$req" = "$done" ] && [ "$req" != 0 ]
		ok $? "$what: every page pinned ($done of $req per op)"
	fi
	if [ "$2" != - ]; then [ "$err" = "$2" ]; ok $? "$what: errno $err (expected $2)"; fi
	fbsrc=$(jq -r .fallback.source <<<"$c")
	cpo=$(jq -r '.fallback.calls_per_op // "null"' <<<"$c")
	frac=$(jq -r '.fallback.fraction // "null"' <<<"$c")
	case $3 in
	-) ;;
	[0-9]*) [ "$fbsrc" != unavailable ] && awk "BEGIN{exit !($cpo == $3)}"
	   ok $? "$what: slow-path calls/op $cpo ($fbsrc, expected $3)" ;;
	every) [ "$fbsrc" != unavailable ] && awk "BEGIN{exit !($cpo == 1)}"
	   ok $? "$what: slow-path calls/op $cpo ($fbsrc, expected 1: every call)" ;;
	'>0') [ "$fbsrc" != unavailable ] && awk "BEGIN{exit !($cpo > 0)}"
	   ok $? "$what: slow-path calls/op $cpo ($fbsrc, expected > 0)" ;;
	rest) local want
	   want=$(jq -r '1 - .warm_bytes / .size_bytes' <<<"$c")
	   if [ "$fbsrc" = kprobe ]; then
		awk "BEGIN{exit !($frac == $want)}"
		ok $? "$what: fallback fraction $frac ($fbsrc, expected $want: from the first cold page on)"
	   else
		[ "$fbsrc" != unavailable ] && awk "BEGIN{exit !($cpo == $want)}"
		ok $? "$what: slow-path calls/op $cpo ($fbsrc, expected $want: the cold pages' calls)"
	   fi ;;
	all) [ "$fbsrc" = kprobe ] && awk "BEGIN{exit !($frac == 1)}"
	   ok $? "$what: fallback fraction $frac ($fbsrc, expected 1.0)" ;;
	*) ok 1 "$what: unknown fallback expectation '$3' in tests/expectations.tsv" ;;
	esac
	[ "$(jq -r '.pins.balanced' <<<"$c")" = true ]
	ok $? "$what: pins balanced ($(jq -c .pins <<<"$c"))"
}
