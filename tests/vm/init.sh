#!/bin/sh
# /init of the memscope test initramfs (busybox sh).
# Mounts the usual filesystems, runs /memscope/guest.sh MODE (MODE from
# memscope.mode= on the kernel command line, default "test"), gives a shell
# in mode "shell", then prints MEMSCOPE-INIT-DONE and powers off.
set -eu

mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mount -t debugfs debugfs /sys/kernel/debug
mount -t tmpfs tmpfs /tmp
export PATH=/memscope/bin:/bin:/sbin HOME=/root
# "quiet" sets the console loglevel to 4, which hides KERN_WARNING: a WARN()
# splat would never reach the console log. From here on show warnings too.
echo 5 >/proc/sys/kernel/printk

MODE="test"
read -r cmdline </proc/cmdline
for arg in $cmdline; do
	case "$arg" in memscope.mode=*) MODE=${arg#memscope.mode=} ;; esac
done

set +e
if [ -e /memscope/guest.sh ]; then
	sh /memscope/guest.sh "$MODE"
	rc=$?
	echo "memscope-init: guest.sh $MODE exited $rc"
else
	echo "memscope-init: no /memscope/guest.sh"
fi
if [ "$MODE" = shell ]; then
	echo "memscope-init: shell (exit to power off)"
	setsid cttyhack sh
fi

sync
echo MEMSCOPE-INIT-DONE
poweroff -f
