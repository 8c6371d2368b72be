#!/bin/sh
# Runs inside the VM (busybox sh), started by /init: guest.sh test|demo|shell|bench|lab
M=/memscope
MODE=${1:-test}

# memscopectl and the tools are dynamic: put their libraries where ld.so looks.
mkdir -p /lib64 /lib/x86_64-linux-gnu
for l in $M/lib/*; do
	ln -sf "$l" /lib64/
	ln -sf "$l" /lib/x86_64-linux-gnu/
done

case "$MODE" in
demo)
	insmod $M/memscope.ko || exit 1
	echo MEMSCOPE-DEMO-BEGIN
	echo "Linux $(uname -r) in qemu, memscope loaded (insmod memscope.ko)"
	tlbstress munmap2 2000 >/dev/null
	for c in info zones buddy pages "map --width 80" "task 1" "tlb --geometry" tlb "tlb --top=5"; do
		echo
		echo "\$ memscopectl $c"
		memscopectl $c
	done
	echo MEMSCOPE-DEMO-END
	exit 0
	;;
lab)
	insmod $M/memscope.ko || exit 1
	lab=$(cat $M/lab.name)
	echo MEMSCOPE-LAB-BEGIN
	echo "Linux $(uname -r) in qemu, memscope loaded; lab $lab (docs/labs/$lab.md)"
	sh $M/labs/$lab.sh
	echo MEMSCOPE-LAB-END
	exit 0
	;;
shell)
	insmod $M/memscope.ko && echo "memscope loaded. Try: memscopectl --help, memscopectl zones, buddy, pages, map, task 1, tlb"
	exit 0
	;;
bench)
	insmod $M/memscope.ko || exit 1
	for b in $M/bench/*.sh; do
		# --cases NAME... picks benches too (file names without .sh)
		[ -f $M/cases.only ] && ! grep -qw -- "$(basename "$b" .sh)" $M/cases.only && continue
		[ -e "$b" ] && sh "$b"
	done
	exit 0
	;;
esac

. $M/lib.sh

# Debug kernels: whatever kmemleak suspects from boot is set aside now, so the
# scan after the module's unload reports only what the run leaked.
KMEMLEAK=/sys/kernel/debug/kmemleak
# The automatic scan thread is stopped: it would wait on the manual scans
# (minutes for 4 GiB under KASAN and TCG) and be reported as a hung task.
if [ -w $KMEMLEAK ]; then
	echo scan=off >$KMEMLEAK
	echo scan >$KMEMLEAK
	echo clear >$KMEMLEAK
fi

if insmod $M/memscope.ko; then
	pass module-load
elif grep -q 'lockdown=' /proc/cmdline; then
	echo "insmod refused: booted with lockdown= (cases/95-lockdown.sh checks why)"
else
	fail module-load "insmod failed"
	echo MSTEST-END
	exit 1
fi

for c in $M/cases/*.sh; do
	name=$(basename "$c" .sh)
	if [ -f $M/cases.only ] && ! grep -qw -- "$name" $M/cases.only; then
		continue
	fi
	if [ -f $M/cases.skip ] && grep -qw -- "$name" $M/cases.skip; then
		continue
	fi
	echo "MSCASE $name"
	t0=$(cut -d. -f1 /proc/uptime)
	sh "$c"
	rc=$?
	echo "MSCASE-TIME $name $(($(cut -d. -f1 /proc/uptime) - t0))"
	[ $rc -eq 0 ] || fail "$name" "case script exited $rc"
done

# 95-lockdown unloads the module and cannot load it again.
if [ -e /tmp/memscope-locked-out ]; then
	echo MSTEST-END
	exit 0
fi

# Unload: nothing left behind, and the tool says the module is gone.
check_eq module-refcount-zero "$(cat /sys/module/memscope/refcnt)" 0
if rmmod memscope; then
	pass module-unload
else
	fail module-unload "rmmod failed"
fi
check module-debugfs-removed test ! -e /sys/kernel/debug/memscope
out=$(memscopectl info 2>&1)
rc=$?
check_eq tool-module-not-loaded-exit "$rc" 3
check_match tool-module-not-loaded-message "$out" "memscope module is not loaded: sudo modprobe memscope"
if [ -w $KMEMLEAK ]; then
	# An object is reported once it is older than 5 s and unreferenced in a
	# scan: two scans with a pause catch what the module's last requests
	# leaked. Any entry fails, and is printed for splats.sh and the log.
	echo scan >$KMEMLEAK
	sleep 6
	echo scan >$KMEMLEAK
	leaks=$(cat $KMEMLEAK)
	if [ -z "$leaks" ]; then
		pass kmemleak-nothing-leaked
	else
		echo "$leaks"
		fail kmemleak-nothing-leaked "$(echo "$leaks" | grep -c '^unreferenced object') objects, first: $(echo "$leaks" | head -n 12 | tr -s ' \n' ' ')"
	fi
fi
echo MSTEST-END
