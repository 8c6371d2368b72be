# Kernel lockdown (security/lockdown, kernel_lockdown(7)).  Runs only in the
# lockdown boots of tests/run-all.sh:
#  - memscope.lockdown=LEVEL: guest.sh loaded the module, then this case
#    raises lockdown to LEVEL (integrity or confidentiality; it can only go
#    up) and checks that memscope's read-only debugfs files still open while
#    a writable debugfs file does not, that every netlink command still
#    works (and survives a short fuzz run), that unloading works, that
#    loading the unsigned module is now refused, and that memscopectl then
#    says lockdown is why.
#  - lockdown=LEVEL (the kernel's own parameter): the kernel boots locked
#    down, so guest.sh's insmod of the unsigned module was refused: the same
#    last checks.
. /memscope/lib.sh

raise=$(cmdline_arg memscope.lockdown "")
boot=$(cmdline_arg lockdown "")
[ -n "$raise$boot" ] || exit 0

[ -e /sys/kernel/security/lockdown ] || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
L=/sys/kernel/security/lockdown
if [ ! -e $L ]; then
	echo "95-lockdown: this kernel has no lockdown LSM: nothing to test"
	exit 0
fi
echo "lockdown before: $(cat $L)"
D=/sys/kernel/debug/memscope

if [ -n "$raise" ]; then
	echo "$raise" >$L
	check_match "lockdown-$raise-active" "$(cat $L)" "[$raise]"
	# Debugfs under lockdown opens only files with no write bit and no
	# ioctl/mmap (fs/debugfs/file.c debugfs_locked_down()): all of ours.
	for f in info zones buddy pages map tlb; do
		out=$(head -c 64 "$D/$f" 2>&1)
		rc=$?
		if [ $rc -eq 0 ] && [ -n "$out" ]; then
			pass "lockdown-debugfs-reads-$f"
		else
			fail "lockdown-debugfs-reads-$f" "exit $rc: $out"
		fi
	done
	w=$(find /sys/kernel/debug -maxdepth 1 -type f -perm -200 | head -n 1)
	if [ -n "$w" ]; then
		out=$(cat "$w" 2>&1 </dev/null)
		rc=$?
		if [ $rc -ne 0 ] && echo "$out" | grep -q "Operation not permitted"; then
			pass lockdown-debugfs-writable-file-refused
		else
			fail lockdown-debugfs-writable-file-refused "$w: exit $rc: $(echo "$out" | head -c 100)"
		fi
	fi
	# Netlink is not subject to lockdown: every subcommand still answers.
	for c in "info" "zones" "buddy" "pages --zone DMA32" "map --width 64" "task 1" "tlb" "tlb --top"; do
		check "lockdown-netlink-$(echo "$c" | tr ' ' '-')" memscopectl $c
	done
	fuzz --seed 1 --count 5000 >/tmp/fuzz.out 2>&1
	check_eq lockdown-fuzz-5000 $? 0
	tail -n 4 /tmp/fuzz.out
	check lockdown-rmmod rmmod memscope
fi

# Loading the unsigned module is refused under any lockdown level.
dmesg -c >/dev/null
out=$(insmod /memscope/memscope.ko 2>&1)
check_eq "lockdown-insmod-refused" "$?" 1
check_match lockdown-insmod-refused-by-lockdown "$(dmesg)" "Lockdown: insmod: unsigned module loading is restricted"
check lockdown-no-debugfs-dir test ! -e $D
out=$(memscopectl info 2>&1)
check_eq lockdown-tool-exit $? 3
check_one_line lockdown-tool-one-line "$out"
check_match lockdown-tool-names-lockdown "$out" "the kernel is locked down (lockdown=${raise:-$boot})"
echo "$out"
# guest.sh: the module is gone for good, skip its unload checks.
touch /tmp/memscope-locked-out
