#!/bin/sh
# Runs inside the VM as /memscope/guest.sh for tests/vm/install-vm.sh (busybox sh):
# memscope installed the way users install it, never insmod'ed by the test.
M=/memscope
mkdir -p /lib64 /lib/x86_64-linux-gnu
for l in $M/lib/*; do
	ln -sf "$l" /lib64/
	ln -sf "$l" /lib/x86_64-linux-gnu/
done
. $M/lib.sh

if [ "$(cat $M/expect)" = module ]; then
	check_eq module-for-this-kernel "$(cat $M/abi)" "$(uname -r)"
	mkdir -p /lib/modules
	cp -a $M/root/lib/modules/. /lib/modules/
	check module-not-loaded-before test ! -e /sys/module/memscope
	# The kernel runs this when a genl family is unknown (request_module).
	check_eq kernel-modprobe-path "$(cat /proc/sys/kernel/modprobe)" /sbin/modprobe
	out=$(memscopectl info 2>&1)
	check_eq autoload-info-exit $? 0
	check autoload-module-loaded test -e /sys/module/memscope
	check_eq autoload-module-live "$(cat /sys/module/memscope/initstate 2>&1)" live
	check_eq autoload-module-version "$(cat /sys/module/memscope/version 2>&1)" \
		"$(memscopectl --version | awk '{ print $2 }')"
	sh $M/cases/10-info.sh
	check_eq module-refcount-zero "$(cat /sys/module/memscope/refcnt)" 0
	check module-unload rmmod memscope
	check module-debugfs-removed test ! -e /sys/kernel/debug/memscope
	check_eq module-gone "$(grep -c '^memscope ' /proc/modules)" 0
else
	check_eq builtin-not-a-module "$(grep -c '^memscope ' /proc/modules)" 0
	check builtin-no-initstate test ! -e /sys/module/memscope/initstate
	out=$(memscopectl info 2>&1)
	check_eq builtin-info-exit $? 0
	check_match builtin-info-release "$out" "on Linux $(uname -r)"
	sh $M/cases/10-info.sh
	# The tlb_flush probe attaches at boot (device initcall) when built in.
	tlb=$(cat /sys/kernel/debug/memscope/tlb 2>&1)
	case "$tlb" in
	*"not available"*|"") fail builtin-tlb-probe-attached "debugfs tlb: $(echo "$tlb" | head -n 2)" ;;
	*) pass builtin-tlb-probe-attached ;;
	esac
	check_eq builtin-no-attach-errors "$(dmesg | grep -c 'memscope: \(no tlb_flush\|cannot attach\)')" 0
fi
echo MSTEST-END
