#!/bin/bash
# Usage: tests/splats-test.sh
# Checks tests/vm/splats.sh against real console text recorded from the debug
# kernel (tests/splats/*.log, made by tests/splats/gen/gen.sh): every report
# kind the debug stage must catch is caught, on the line that names it, and
# clean logs (tests/splats/clean-*.log) pass. One PASS/FAIL line per log.
set -u
HERE=$(cd "$(dirname "$0")" && pwd)
SPLATS=$HERE/vm/splats.sh

# log name -> a line splats.sh must print for it (ERE).
declare -A WANT=(
	[kasan]='BUG: KASAN: slab-out-of-bounds'
	[ubsan]='UBSAN: shift-out-of-bounds'
	[lockdep]='WARNING: possible circular locking dependency detected'
	[rcu]='WARNING: suspicious RCU usage'
	[atomic-sleep]='BUG: sleeping function called from invalid context'
	[debug-vm]='page dumped because: VM_BUG_ON_PAGE'
	[kmemleak]='^unreferenced object 0x'
	[hung-task]='INFO: task insmod:[0-9]+ blocked for more than'
	[rcu-stall]='rcu: INFO: rcu_preempt (self-)?detected stall'
	[soft-lockup]='watchdog: BUG: soft lockup'
)

for name in "${!WANT[@]}"; do
	log=$HERE/splats/$name.log
	if [ ! -s "$log" ]; then
		echo "FAIL [unit] splats-catches-$name: no recorded log $log"
		continue
	fi
	out=$("$SPLATS" "$log")
	rc=$?
	if [ $rc -ne 1 ]; then
		echo "FAIL [unit] splats-catches-$name: splats.sh exited $rc"
	elif ! grep -qE -- "${WANT[$name]}" <<<"$out"; then
		echo "FAIL [unit] splats-catches-$name: no line matching '${WANT[$name]}' in: $(head -n 3 <<<"$out" | tr '\n' ' ')"
	else
		echo "PASS [unit] splats-catches-$name"
	fi
done
for log in "$HERE"/splats/clean-*.log; do
	name=$(basename "$log" .log)
	if out=$("$SPLATS" "$log"); then
		echo "PASS [unit] splats-passes-$name"
	else
		echo "FAIL [unit] splats-passes-$name: flagged: $(head -n 3 <<<"$out" | tr '\n' ' ')"
	fi
done
