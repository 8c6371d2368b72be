# Unprivileged users (uid 65534, no groups, no capabilities, via runas):
# every memscopectl subcommand and every netlink command either works with
# redacted data or fails with EPERM/EACCES, exit code 4 and one line; nothing
# a non-admin sees holds a physical address, pfn or kernel pointer; debugfs
# files are read-only, and root-only where sensitive.
. /memscope/lib.sh

U="runas 65534 65534"
# What must never reach a non-admin: kernel addresses in hex (0xffff... on
# 4-level paging, 0xff11... on 5-level) or decimal (>= 2^64 - 2^56 starts
# 18374...), and any pfn, physical-address or physical-contiguity field.
LEAK='ff[0-9a-f]{14}|18[34][0-9]{17}|pfn|phys_?addr|physical address|physically contiguous'
leaks() { grep -aiEo "$LEAK" "$1" | head -n 3 | tr '\n' ' '; }

# expect NAME ok|perm ARGS...: memscopectl ARGS as the unprivileged user.
expect() {
	name=$1 want=$2
	shift 2
	$U memscopectl "$@" >/tmp/u.out 2>/tmp/u.err
	rc=$?
	if [ "$want" = ok ]; then
		if [ $rc -eq 0 ] && [ -s /tmp/u.out ]; then pass "nobody-$name-works"; else fail "nobody-$name-works" "exit $rc: $(head -c 200 /tmp/u.err)"; fi
		l=$(leaks /tmp/u.out)
		if [ -z "$l" ]; then pass "nobody-$name-no-address"; else fail "nobody-$name-no-address" "output has: $l"; fi
	else
		err=$(cat /tmp/u.err)
		if [ $rc -eq 4 ] && [ ! -s /tmp/u.out ]; then pass "nobody-$name-refused"; else fail "nobody-$name-refused" "exit $rc (want 4): $(head -c 200 /tmp/u.err)"; fi
		check_one_line "nobody-$name-one-line" "$err"
		check_match "nobody-$name-says-root" "$err" "run as root"
	fi
}

expect info ok info
expect info-json ok info --json
expect zones ok zones
expect zones-json ok zones --json
expect buddy perm buddy
expect pages ok pages --zone DMA32
expect pages-json ok pages --json --zone DMA32
expect pages-floor perm pages --floor --zone DMA32
expect map perm map
expect map-svg perm map --svg /tmp/map.svg
expect task-init perm task 1
expect tlb ok tlb
expect tlb-json ok tlb --json
expect tlb-top ok tlb --top=64
expect tlb-reset perm tlb --reset
expect tlb-geometry ok tlb --geometry

# A process of one's own: works, with no physical-contiguity figure.
$U sh -c 'exec memscopectl task $$ --vmas --json' >/tmp/u.out 2>/tmp/u.err
check_eq nobody-task-self-works $? 0
check_eq nobody-task-self-no-contig "$(jq 'has("contig_2m_pages")' /tmp/u.out)" false
l=$(leaks /tmp/u.out)
if [ -z "$l" ]; then pass nobody-task-self-no-address; else fail nobody-task-self-no-address "output has: $l"; fi
$U sh -c 'exec memscopectl task $$' >/tmp/u.out 2>&1
check_eq nobody-task-self-table-no-phys "$(grep -ci phys /tmp/u.out)" 0
# Root sees the contiguity figure (the attribute exists and is withheld, not absent).
sh -c 'exec memscopectl task $$ --json' >/tmp/r.out 2>&1
check_eq root-task-self-has-contig "$(jq 'has("contig_2m_pages")' /tmp/r.out)" true

# Every netlink command with a clean request (fuzz --probe checks each reply:
# well-formed, no admin-only attribute, no kernel-address-like value).
fuzz --probe >/tmp/p-root.out 2>&1
check fuzz-probe-root-ran grep -q '^probe GET_TASK_INIT' /tmp/p-root.out
$U fuzz --probe >/tmp/p-user.out 2>&1
check fuzz-probe-nobody-ran grep -q '^probe GET_TASK_INIT' /tmp/p-user.out
sed 's/^/root: /' /tmp/p-root.out
sed 's/^/nobody: /' /tmp/p-user.out
probe() { awk -v c="$2" '$1 == "probe" && $2 == c { print $3 }' "$1"; }
for c in GET_INFO GET_ZONES GET_BUDDY GET_TLB GET_TLB_TOP TLB_RESET GET_PAGES GET_PAGES_FLOOR GET_MAP GET_TASK_SELF GET_TASK_INIT; do
	check_eq "netlink-root-$c" "$(probe /tmp/p-root.out $c)" ok
done
tlb=ok
for c in GET_INFO GET_ZONES GET_TLB GET_TLB_TOP GET_PAGES GET_TASK_SELF; do
	check_eq "netlink-nobody-$c" "$(probe /tmp/p-user.out $c)" ok
done
for c in GET_BUDDY TLB_RESET GET_PAGES_FLOOR GET_MAP; do
	check_eq "netlink-nobody-$c" "$(probe /tmp/p-user.out $c)" EPERM
done
check_eq netlink-nobody-GET_TASK_INIT "$(probe /tmp/p-user.out GET_TASK_INIT)" EACCES

# debugfs: every file read-only (no write bit for anyone; root's write fails),
# world-readable only where nothing sensitive or costly is behind it.
D=/sys/kernel/debug/memscope
bad=""
for f in "$D"/*; do
	m=$(stat -c %a "$f")
	case "$(basename "$f"):$m" in
	info:444|tlb:444|zones:400|buddy:400|pages:400|map:400) ;;
	*) bad="$bad $(basename "$f"):$m" ;;
	esac
	if (echo x >"$f") 2>/dev/null; then bad="$bad $(basename "$f"):root-write-worked"; fi
done
check_eq debugfs-modes "${bad:-none}" none
# Debugfs' own root is 0700 by default: open it up as a distribution might
# (mode=755), then a non-admin reads the 0444 files and is refused the rest.
mount -o remount,mode=755 /sys/kernel/debug
for f in info tlb; do
	$U cat "$D/$f" >/tmp/u.out 2>/tmp/u.err
	check_eq "debugfs-nobody-reads-$f" $? 0
	l=$(leaks /tmp/u.out)
	if [ -z "$l" ]; then pass "debugfs-nobody-$f-no-address"; else fail "debugfs-nobody-$f-no-address" "has: $l"; fi
done
for f in zones buddy pages map; do
	if $U cat "$D/$f" >/dev/null 2>&1; then fail "debugfs-nobody-refused-$f" "a non-admin read $f"; else pass "debugfs-nobody-refused-$f"; fi
done
mount -o remount,mode=700 /sys/kernel/debug
