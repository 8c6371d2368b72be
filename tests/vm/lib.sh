# Helpers for the in-VM test cases (busybox sh). Each check prints one line
# "MSTEST PASS name" or "MSTEST FAIL name: reason", which the host collects.

pass() { echo "MSTEST PASS $1"; }
fail() { echo "MSTEST FAIL $1: $2"; }

# check NAME CMD...: passes when CMD exits 0.
check() {
	_n=$1
	shift
	if "$@" >/tmp/check.out 2>&1; then pass "$_n"; else fail "$_n" "'$*' failed: $(head -c 300 /tmp/check.out | tr '\n' ' ')"; fi
}

check_eq() { # NAME GOT WANT
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "got '$2', want '$3'"; fi
}

check_match() { # NAME TEXT SUBSTRING
	case "$2" in
	*"$3"*) pass "$1" ;;
	*) fail "$1" "'$(echo "$2" | head -c 300)' does not contain '$3'" ;;
	esac
}

# check_one_line NAME TEXT: an error must be exactly one line.
check_one_line() {
	if [ -n "$2" ] && [ "$(printf '%s\n' "$2" | wc -l)" -eq 1 ]; then pass "$1"; else fail "$1" "not one line: '$2'"; fi
}

# wait_for WORD FILE: waits until a helper started in the background writes
# WORD to FILE. Up to 600 s: the debug kernel on a loaded host once took more
# than the 60 s these waits allowed, and its checks then saw a half-written
# file; a hung helper is left to the VM's own timeout. Logs a wait it gave up.
wait_for() {
	_i=0
	while ! grep -q "$1" "$2" 2>/dev/null; do
		if [ $_i -ge 3000 ]; then
			echo "wait_for: no '$1' in $2 after 600 s"
			return 0
		fi
		sleep 0.2
		_i=$((_i + 1))
	done
}

# out_of_bounds FILE: the first 5 "name=got not in [lo,hi]" of FILE's
# "name got lo hi" lines, on one line; empty when all are in bounds.
out_of_bounds() {
	awk '$2 < $3 || $2 > $4 { print $1 "=" $2 " not in [" $3 "," $4 "]" }' "$1" | head -n 5 | tr '\n' ' '
}

# bounded NAME FILE: FILE holds "what got lo hi" lines; passes when every got
# lies within [lo, hi]; the fail message names the first few that do not.
bounded() {
	_bad=$(out_of_bounds "$2")
	_n=$(wc -l <"$2")
	if [ "$_n" -eq 0 ]; then
		fail "$1" "nothing compared"
	elif [ -z "$_bad" ]; then
		pass "$1"
	else
		fail "$1" "$_bad"
	fi
}

# cmdline_arg KEY DEFAULT: the value of KEY=VALUE on the kernel command line
# (run.sh --append), or DEFAULT when it is not there.
cmdline_arg() {
	_v=$2
	for _arg in $(cat /proc/cmdline); do
		case "$_arg" in "$1="*) _v=${_arg#*=} ;; esac
	done
	echo "$_v"
}

# Loads the Debian modules packed into the image (tests/vm/guest-modules.sh),
# in dependency order; ones this CPU cannot use (crc32c-intel) may fail.
load_guest_modules() {
	[ -f /memscope/modules/order ] || return 1
	for m in $(cat /memscope/modules/order); do
		case "$m" in
		brd.ko) insmod /memscope/modules/$m rd_nr=1 rd_size=524288 2>/dev/null ;;
		*) insmod /memscope/modules/$m 2>/dev/null ;;
		esac
	done
	return 0
}
