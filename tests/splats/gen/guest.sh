#!/bin/sh
# Guest side of gen.sh: one report of each kind, each between SPLATGEN-BEGIN
# and SPLATGEN-END markers (the host cuts the console log there).
K=/memscope/splatgen.ko
one() { # NAME
	echo "SPLATGEN-BEGIN $1"
	insmod $K what=$1
	sleep 1
	echo "SPLATGEN-END $1"
}
# Lockdep first: a KASAN report taints the kernel "bad page", which turns
# lockdep (and with it the RCU checks) off.
one rcu
one lockdep
one atomic-sleep
one kasan
one ubsan
echo "SPLATGEN-BEGIN kmemleak"
insmod $K what=kmemleak
echo scan >/sys/kernel/debug/kmemleak
sleep 6
echo scan >/sys/kernel/debug/kmemleak
cat /sys/kernel/debug/kmemleak
echo "SPLATGEN-END kmemleak"
echo 2 >/proc/sys/kernel/hung_task_timeout_secs
one hung-task
echo 0 >/proc/sys/kernel/hung_task_timeout_secs
# 8 s with preemption off: an RCU stall past 3 s, then a soft lockup past 2 x 1 s.
echo 3 >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout
one busy
echo 60 >/sys/module/rcupdate/parameters/rcu_cpu_stall_timeout
echo 1 >/proc/sys/kernel/watchdog_thresh
one busy
echo 10 >/proc/sys/kernel/watchdog_thresh
one vm-bug
