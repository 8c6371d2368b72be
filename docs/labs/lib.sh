# Helpers shared by the lab scripts (busybox sh compatible). A lab script
# explains each step, runs it and shows what memscopectl and /proc say.
#
#   LAB_MODE=show   (default) for students: explanations and output
#   LAB_MODE=check  the same, plus one "MSTEST PASS|FAIL lab-NAME-CHECK" line
#                   per promised observation (the VM suite, tests/vm/cases/85-labs.sh)
#
# Every lab needs root, memscope loaded and memscopectl and jq on PATH; the
# experiment programs (labmem, touchmem, fragment) come from tests/build when
# run from the source tree.
LAB_MODE=${LAB_MODE:-show}
LAB=$(basename "$0" .sh)
LAB_HERE=$(cd "$(dirname "$0")" && pwd)
for d in "$LAB_HERE/../../tests/build" "$LAB_HERE/../../ctl"; do
	[ -d "$d" ] && PATH=$d:$PATH
done
export PATH
LAB_PIDS=""
LAB_RESTORE=/tmp/lab-$LAB.restore
LAB_FAILED=0
: >"$LAB_RESTORE"

LAB_T0=$(date +%s)
step() {
	if [ "$LAB_MODE" = check ]; then
		printf '\n=== %s [+%ss]\n' "$*" $(($(date +%s) - LAB_T0))
	else
		printf '\n=== %s\n' "$*"
	fi
}
say() { printf '%s\n' "$*"; }

# quote ARGS...: the words as a reader would type them.
quote() {
	_q=""
	for _a in "$@"; do
		case "$_a" in
		*[!A-Za-z0-9_./=:+,-]* | "") _a="'$_a'" ;;
		esac
		_q="$_q${_q:+ }$_a"
	done
	printf '%s' "$_q"
}

# run CMD...: show the command, then its output.
run() {
	printf '$ %s\n' "$(quote "$@")"
	"$@"
}

# show PATTERN CMD...: the command and the lines of its output matching PATTERN
# (an extended regular expression): tables are long, a step needs a few rows.
show() {
	_pat=$1
	shift
	printf '$ %s | grep -E '\''%s'\''\n' "$(quote "$@")" "$_pat"
	"$@" | grep -E "$_pat"
}

# expect NAME "what the lab promises" GOT LO HI: the observation holds when
# LO <= GOT <= HI (integers).
expect() {
	if [ -n "$3" ] && [ "$3" -ge "$4" ] 2>/dev/null && [ "$3" -le "$5" ]; then
		[ "$LAB_MODE" = check ] && echo "MSTEST PASS lab-$LAB-$1"
		echo "  [as expected] $2 ($3, expected $4..$5)"
	else
		LAB_FAILED=$((LAB_FAILED + 1))
		[ "$LAB_MODE" = check ] && echo "MSTEST FAIL lab-$LAB-$1: $2: got '$3', expected $4..$5"
		echo "  [NOT as expected] $2 (got '$3', expected $4..$5)"
	fi
}

# set_sysctl FILE VALUE: write a tunable, restored when the lab ends.
set_sysctl() {
	echo "$1 $(cat "$1")" >>"$LAB_RESTORE"
	printf '$ echo %s > %s\n' "$2" "$1"
	echo "$2" >"$1"
}

# start OUT CMD...: CMD in the background, its output in OUT; LAB_PID is its pid.
start() {
	_out=$1
	shift
	rm -f "$_out"
	"$@" >"$_out" 2>&1 &
	LAB_PID=$!
	LAB_PIDS="$LAB_PIDS $LAB_PID"
}

# waitfor FILE PATTERN [N]: until FILE has N (default 1) lines matching
# PATTERN, 60 s at most.
waitfor() {
	_i=0
	# (until CMD's shell opens FILE there is none: count 0, not an error)
	while _c=$(grep -cE "$2" "$1" 2>/dev/null); [ "${_c:-0}" -lt "${3:-1}" ]; do
		_i=$((_i + 1))
		[ $_i -lt 600 ] || { echo "lab: timeout waiting for '$2' in $1"; return 1; }
		sleep 0.1
	done
}

# stop PID...: kill and reap.
# settle LO HI SECS CMD...: run CMD (which prints a number) every half second
# until its value lies in [LO, HI] or SECS pass; prints the last value. For
# counts that reach their final value late: freed pages wait on the per-CPU
# lists, which 6.7+ kernels drain gradually (pcp high decay, once a second).
settle() {
	_lo=$1 _hi=$2 _n=$(($3 * 2))
	shift 3
	while :; do
		_v=$("$@")
		[ "$_v" -ge "$_lo" ] 2>/dev/null && [ "$_v" -le "$_hi" ] && break
		_n=$((_n - 1))
		[ $_n -gt 0 ] || break
		sleep 0.5
	done
	echo "$_v"
}

# field FILE KEY: the value of KEY=value in the last line of FILE having it.
field() { sed -n "s/.*$2=\([0-9]*\).*/\1/p" "$1" | tail -n 1; }

stop() {
	for _p in "$@"; do
		kill "$_p" 2>/dev/null
		wait "$_p" 2>/dev/null
	done
	return 0
}

# lab_atexit CMD: run CMD when the lab ends (after the processes are gone).
lab_atexit() {
	LAB_CLEANUP="$1
${LAB_CLEANUP:-}"
}

lab_cleanup() {
	for _p in $LAB_PIDS; do kill "$_p" 2>/dev/null; done
	wait 2>/dev/null
	# Tunables back, last change first.
	# (writing 0 to a *_bytes tunable is refused on 6.12; writing its *_ratio
	# twin, restored later, resets it anyway)
	sed -n '1!G;h;$p' "$LAB_RESTORE" | while read -r _f _v; do echo "$_v" 2>/dev/null >"$_f"; done
	[ -z "${LAB_CLEANUP:-}" ] || eval "$LAB_CLEANUP"
}
trap lab_cleanup EXIT
trap 'exit 130' INT TERM

# Numbers, in pages (4 KiB) unless said otherwise.
meminfo_kb() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
vmstat() { awk -v k="$1" '$1 == k { print $2 }' /proc/vmstat; }
status_kb() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }
# census CLASS...: the sum of memscope's page-census classes, all zones.
census() {
	memscopectl pages --json | jq --arg c "$*" '[.totals.classes[($c | split(" "))[]]] | add'
}
# free_ge ORDER: free memory in blocks of ORDER or more, in units of 2^ORDER
# pages: memscope's buddy view, then /proc/buddyinfo's.
free_ge() {
	memscopectl buddy --json | jq --argjson o "$1" \
		'[.zones[].free_blocks | to_entries[] | select(.key >= $o) | .value * pow(2; .key - $o)] | add'
}
buddyinfo_free_ge() {
	# (busybox awk has no ^ without its math support)
	awk -v o="$1" '{ m = 1; for (i = 5 + o; i <= NF; i++) { s += $i * m; m *= 2 } } END { print s }' /proc/buddyinfo
}
# free_order ORDER: free blocks of exactly ORDER, memscope, then buddyinfo.
free_order() {
	memscopectl buddy --json | jq --argjson o "$1" '[.zones[].free_blocks[$o]] | add'
}
buddyinfo_order() {
	awk -v o="$1" '{ s += $(5 + o) } END { print s }' /proc/buddyinfo
}
task_json() { memscopectl task --json "$1"; }
# The zone holding most memory (DMA32 in a small VM, Normal on most
# machines): where the experiments land, shown alone to keep tables short.
ZONE=$(memscopectl zones --json 2>/dev/null | jq -r '.zones | max_by(.managed) | .zone' 2>/dev/null)
ZONE=${ZONE:-Normal}

# The experiment devices. lab_modules loads the kernel modules the VM image
# packs (tests/vm/guest-modules.sh), or asks modprobe on a real machine.
lab_modules() {
	if [ -f /memscope/modules/order ]; then
		for _m in $(cat /memscope/modules/order); do
			case "$_m" in
			brd.ko) insmod /memscope/modules/$_m rd_nr=1 rd_size=524288 2>/dev/null ;;
			*) insmod /memscope/modules/$_m 2>/dev/null ;;
			esac
		done
	else
		modprobe brd rd_nr=1 rd_size=524288 2>/dev/null
		modprobe ext4 2>/dev/null
		modprobe zram 2>/dev/null
	fi
	return 0
}

# lab_disk: a fresh ext4 file system on a 512 MiB RAM disk at /mnt/lab (ext4
# stops delaying allocation, and writes back, when dirty data nears its free
# space: the writeback lab needs room for 200 MiB). Its
# page cache is written back like a real disk's (tmpfs pages never are).
lab_disk() {
	lab_modules
	[ -b /dev/ram0 ] || { echo "lab: no RAM disk (/dev/ram0): needs the brd module"; return 1; }
	umount /mnt/lab 2>/dev/null
	mkdir -p /mnt/lab
	mke2fs -q -F -t ext4 /dev/ram0 >/dev/null 2>&1 || mke2fs -q /dev/ram0 >/dev/null 2>&1
	mount -t ext4 /dev/ram0 /mnt/lab || return 1
	lab_atexit "umount /mnt/lab 2>/dev/null"
}

# lab_swap: 256 MiB of compressed swap in RAM (zram).
lab_swap() {
	lab_modules
	[ -e /sys/block/zram0 ] || { echo "lab: no zram device: needs the zram module"; return 1; }
	grep -q '^/dev/zram0 ' /proc/swaps && return 0
	echo 1 >/sys/block/zram0/reset 2>/dev/null
	echo 256M >/sys/block/zram0/disksize || return 1
	mkswap /dev/zram0 >/dev/null || return 1
	run swapon /dev/zram0 || return 1
	lab_atexit "swapoff /dev/zram0 2>/dev/null; echo 1 >/sys/block/zram0/reset"
}

# lab_cgroup NAME MAX: a cgroup-v2 memory cgroup limited to MAX bytes
# (e.g. 48M); in_cgroup NAME CMD... runs CMD inside it.
lab_cgroup() {
	if ! grep -q ' /sys/fs/cgroup cgroup2 ' /proc/mounts; then
		mkdir -p /sys/fs/cgroup
		mount -t cgroup2 none /sys/fs/cgroup || return 1
	fi
	echo +memory >/sys/fs/cgroup/cgroup.subtree_control
	mkdir -p "/sys/fs/cgroup/$1"
	printf '$ echo %s > /sys/fs/cgroup/%s/memory.max\n' "$2" "$1"
	echo "$2" >"/sys/fs/cgroup/$1/memory.max"
	lab_atexit "rmdir /sys/fs/cgroup/$1 2>/dev/null"
}
in_cgroup() {
	_cg=$1
	shift
	sh -c 'echo $$ >/sys/fs/cgroup/'"$_cg"'/cgroup.procs && exec "$@"' sh "$@"
}
# start_cg NAME OUT CMD...: start, inside cgroup NAME (LAB_PID is CMD's pid).
start_cg() {
	_cg=$1 _out=$2
	shift 2
	rm -f "$_out"
	sh -c 'echo $$ >/sys/fs/cgroup/'"$_cg"'/cgroup.procs && exec "$@"' sh "$@" >"$_out" 2>&1 &
	LAB_PID=$!
	LAB_PIDS="$LAB_PIDS $LAB_PID"
}

lab_end() {
	echo
	if [ "$LAB_FAILED" -eq 0 ]; then
		echo "=== $LAB: every observation held."
	else
		echo "=== $LAB: $LAB_FAILED observation(s) did not hold."
	fi
}
