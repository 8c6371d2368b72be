#!/bin/bash
# Usage: tests/splats/gen/gen.sh
# Regenerates tests/splats/*.log: boots the debug kernel (tests/vm/debug-kernel.sh)
# with splatgen.ko, which provokes one report of each kind the debug stage must
# catch, and cuts the console log into one file per kind. Run by hand after a
# change of the debug kernel; `make check` only reads the recorded files.
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
REPO=$(cd "$HERE/../../.." && pwd)
VM=$REPO/tests/vm
WORK=${MEMSCOPE_CACHE:-$REPO/.cache}/splatgen
eval "$("$VM/kernel.sh" debug)"
rm -rf "$WORK" && mkdir -p "$WORK/mod" "$WORK/payload"
cp "$HERE/splatgen.c" "$HERE/Kbuild" "$WORK/mod/"
make -s -C "$KDIR" M="$WORK/mod" modules
cp "$WORK/mod/splatgen.ko" "$HERE/guest.sh" "$WORK/payload/"
"$VM/mkinitramfs.sh" "$WORK/initrd.gz" "$WORK/payload"
"$VM/boot.sh" --kernel debug --initrd "$WORK/initrd.gz" --log "$WORK/console.log" \
	--timeout 2400 --append "loglevel=7" >/dev/null || true
tr -d '\r' <"$WORK/console.log" >"$WORK/console.txt"
grep -q '^SPLATGEN-BEGIN vm-bug$' "$WORK/console.txt" ||
	{ echo "gen.sh: the guest did not get through every report: $WORK/console.txt" >&2; exit 1; }
# A clean boot at loglevel 7, for the negative test.
awk '/^SPLATGEN-BEGIN/ { exit } { print }' "$WORK/console.txt" |
	sed 's/\x1b\[[0-9;?]*[a-zA-Z]//g' >"$REPO/tests/splats/clean-debug-boot.log"
for name in rcu lockdep atomic-sleep kasan ubsan kmemleak hung-task busy vm-bug; do
	# "busy" runs twice: first the RCU stall, then the soft lockup.
	awk -v n="$name" '$0 == "SPLATGEN-BEGIN " n { on = 1; k++; next }
		$0 == "SPLATGEN-END " n { on = 0 } on { print > (FILENAME ".part" k) }' \
		"$WORK/console.txt"
	if [ "$name" = busy ]; then
		mv "$WORK/console.txt.part1" "$REPO/tests/splats/rcu-stall.log"
		mv "$WORK/console.txt.part2" "$REPO/tests/splats/soft-lockup.log"
	elif [ "$name" = vm-bug ]; then
		# Ends in a panic: no END marker, the rest of the log is the report.
		sed -n '/^SPLATGEN-BEGIN vm-bug$/,$p' "$WORK/console.txt" | sed 1d >"$REPO/tests/splats/debug-vm.log"
		rm -f "$WORK"/console.txt.part*
	else
		mv "$WORK/console.txt.part1" "$REPO/tests/splats/$name.log"
	fi
done
echo "gen.sh: wrote $(ls "$REPO"/tests/splats/*.log | wc -l) logs in tests/splats/"
