# The tool as people use it (issue #8): --json keys as docs/json.md documents
# them, --raw, colour, terminal width, --watch with and without a terminal,
# --explain, snapshot/diff, the Prometheus export, and one-line errors.
. /memscope/lib.sh

ESC=$(printf '\033')
PID1=$$

# Documented top-level keys per subject (tests/json-doc.sh checks each one
# appears in docs/json.md, so this list and the doc cannot drift apart).
keys_info="module_version protocol_version kernel_release page_size max_order pageblock_order nr_nodes nr_cpus migratetypes zones tlb_reasons page_classes page_kinds features"
keys_zones="node zone index start_pfn spanned present managed cma free watermark kswapd_wake lowmem_reserve stats pagesets"
keys_buddy="node zone free_blocks free_lists unusable_index fragmentation_index lock_hold_max_ns lock_holds restarts"
keys_pages="node zone pages classes scan_ns resched_max_ns"
keys_tlb="cpu flushes full_flushes pages_flushed shootdown_ipis"
keys_map="migratetype zone pages"
keys_task="pid comm pt_pages pt_deposited levels entries resident resident_pages_by_kind nr_vmas walk_ns lock_hold_max_ns tlb_reach"
keys_snapshot="memscope_snapshot time hostname info zones buddy pages tlb map skipped"

# has_keys NAME JSON JQPATH KEYS: every key present in the object at JQPATH.
has_keys() {
	_missing=""
	_have=" $(echo "$2" | jq -r "$3 | keys[]" | tr '\n' ' ') "
	for k in $4; do
		case "$_have" in *" $k "*) ;; *) _missing="$_missing $k" ;; esac
	done
	if [ -z "$_missing" ]; then pass "$1"; else fail "$1" "missing:$_missing"; fi
}

for s in info zones buddy pages map tlb task snapshot; do
	case $s in
	task) out=$(memscopectl task $PID1 --json) ;;
	snapshot) out=$(memscopectl snapshot -o - 2>/dev/null) ;;
	*) out=$(memscopectl $s --json) ;;
	esac
	check_eq json-$s-one-document "$(echo "$out" | jq -s length)" 1
	case $s in
	info) has_keys json-info-keys "$out" . "$keys_info" ;;
	zones | buddy | pages) eval "has_keys json-$s-keys \"\$out\" '.zones[0]' \"\$keys_$s\"" ;;
	tlb) has_keys json-tlb-keys "$out" '.cpus[0]' "$keys_tlb"
	     has_keys json-tlb-top-keys "$out" . "cpus totals shootdown_ipis" ;;
	map) has_keys json-map-keys "$out" '.blocks[0]' "$keys_map"
	     has_keys json-map-top-keys "$out" . "start_pfn pageblock_pages blocks" ;;
	task) has_keys json-task-keys "$out" . "$keys_task" ;;
	snapshot) has_keys json-snapshot-keys "$out" . "$keys_snapshot" ;;
	esac
done
has_keys json-pages-top-keys "$(memscopectl pages --json)" . "zones totals scan_ns"

# --raw: one PATH<TAB>VALUE line per JSON scalar, same paths as jq's.
for s in info zones buddy pages tlb; do
	memscopectl $s --json >/tmp/r.json
	memscopectl $s --raw >/tmp/r.raw
	check_eq raw-$s-lines "$(wc -l </tmp/r.raw)" \
		"$(jq '[paths(type | . != "object" and . != "array")] | length' </tmp/r.json)"
	bad=$(awk -F'\t' 'NF != 2' /tmp/r.raw | head -n 2)
	check_eq raw-$s-two-fields "$bad" ""
done
# An oracle for --raw: managed pages of node 0's first zone as /proc/zoneinfo has them.
z=$(memscopectl zones --raw | awk -F'\t' '$1 == "zones.0.zone" { print $2 }')
want=$(awk -v z="$z" '$1 == "Node" && $2 == "0," && $4 == z { f = 1 } f && $1 == "managed" { print $2; exit }' /proc/zoneinfo)
check_eq raw-zones-managed-vs-zoneinfo "$(memscopectl zones --raw | awk -F'\t' '$1 == "zones.0.managed" { print $2 }')" "$want"

# Colour: only on a terminal, never with NO_COLOR or --color=never; always on request.
out=$(memscopectl zones)
case "$out" in *"$ESC["*) fail color-not-on-pipe "escape sequences in piped output" ;; *) pass color-not-on-pipe ;; esac
out=$(ptyrun 120 40 memscopectl zones)
check_match color-on-terminal "$out" "$ESC[1m"
out=$(ptyrun 120 40 env NO_COLOR=1 memscopectl zones)
case "$out" in *"$ESC["*) fail color-no-color-env "NO_COLOR=1 still coloured" ;; *) pass color-no-color-env ;; esac
out=$(ptyrun 120 40 memscopectl zones --color=never)
case "$out" in *"$ESC["*) fail color-never "--color=never still coloured" ;; *) pass color-never ;; esac
check_match color-always-on-pipe "$(memscopectl zones --color=always)" "$ESC[1m"
# The zone state is coloured by its watermark position: ok green, below high yellow, below low red.
check_match color-state-marker "$(memscopectl zones --color=always)" "$ESC[32mok$ESC[0m"

# Tables fit the terminal: at 60 columns no line is wider (colour codes take no room).
for s in info zones buddy pages tlb; do
	w=$(ptyrun 60 40 memscopectl $s | tr -d '\r' | sed "s/$ESC\[[0-9;]*[A-Za-z]//g" |
	    awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
	if [ "$w" -le 60 ]; then pass fit-60-columns-$s; else fail fit-60-columns-$s "a line of $w columns"; fi
done
w=$(COLUMNS=200 memscopectl buddy | awk '{ if (length($0) > m) m = length($0) } END { print m + 0 }')
if [ "$w" -gt 60 ]; then pass fit-wide-when-room; else fail fit-wide-when-room "buddy at 200 columns only $w wide"; fi

# --watch without a terminal: plain samples appended, one header per sample,
# with the changes (or rates) since the last sample.
for s in info zones buddy pages map tlb task; do
	a=""
	[ $s = task ] && a=$PID1
	out=$(memscopectl $s $a --watch 0.2 --count 2 2>&1)
	rc=$?
	check_eq watch-pipe-$s-exit $rc 0
	check_eq watch-pipe-$s-samples "$(echo "$out" | grep -c '^Every 0.2 s: memscopectl')" 2
	case "$out" in *"$ESC["*) fail watch-pipe-$s-no-escapes "escape sequences" ;; *) pass watch-pipe-$s-no-escapes ;; esac
	case $s in
	zones) check_match watch-zones-change "$out" "CHANGE: free memory change over the last 0.2 s" ;;
	buddy) check_match watch-buddy-change "$out" "$(printf '\nchange ')" ;;
	pages) check_match watch-pages-change "$out" "CHANGE" ;;
	task) check_match watch-task-change "$out" "Change over 0.2 s" ;;
	tlb) check_match watch-tlb-rates "$out" "per second over the last 0.2 s" ;;
	esac
done
# JSON with --watch: one document per sample.
check_eq watch-json-documents "$(memscopectl zones --json --watch 0.2 --count 3 | jq -s length)" 3

# --watch on a terminal: each sample homes the cursor and clears, then redraws.
# tlb first shows "measuring..." over its baseline sample: one redraw more.
for s in zones tlb; do
	out=$(ptyrun 120 50 memscopectl $s --watch 0.2 --count 3)
	n=$(printf '%s' "$out" | grep -o "$ESC\[H$ESC\[2J" | wc -l)
	check_eq watch-tty-$s-redraws "$n" $([ $s = tlb ] && echo 4 || echo 3)
	check_eq watch-tty-$s-samples "$(printf '%s' "$out" | grep -c 'sample [123] of 3')" 3
done
out=$(ptyrun 120 50 memscopectl zones --watch 0.2 --count 2)
check_match watch-tty-header "$out" "sample 2 of 2"

# Bad --watch/--count values: one line, exit 2.
for v in "--watch 0" "--watch -1" "--watch abc" "--watch 1e9" "--watch 0.01" "--count 0" "--count -2" "--count x" "--count 99999999999999999999" "--color=purple"; do
	out=$(memscopectl zones $v 2>&1)
	rc=$?
	n=$(echo "$v" | tr -c 'a-z0-9' _)
	check_eq bad-value$n-exit $rc 2
	check_one_line bad-value$n-one-line "$out"
done

# --explain on every subject: annotations under "Explained:", and in JSON.
for s in info zones buddy pages map tlb task; do
	a=""
	[ $s = task ] && a=$PID1
	out=$(memscopectl $s $a --explain)
	check_match explain-$s-present "$out" "Explained:"
	case $s in
	zones) check_match explain-zones-watermark "$out" "watermark" ;;
	buddy) check_match explain-buddy-hugepage "$out" "huge page" ;;
	pages) check_match explain-pages-dirty "$out" "dirty_background_ratio" ;;
	esac
	[ $s = pages ] || [ $s = map ] ||
		check_eq explain-$s-json "$(memscopectl $s $a --explain --json | jq '.explain | length > 0')" true
done
check_match explain-tlb-geometry "$(memscopectl tlb --geometry --explain)" "Explained:"

# Snapshot and diff: 64 MiB touched between two snapshots shows in the diff.
check memscopectl-snapshot-a memscopectl snapshot -o /tmp/a.json
check_eq snapshot-no-temp-left "$(ls /tmp | grep -c 'a.json.tmp')" 0
touchmem nothp 64 >/tmp/touch.out &
tp=$!
wait_for ready /tmp/touch.out
check memscopectl-snapshot-b memscopectl snapshot -o /tmp/b.json
kill $tp
wait $tp 2>/dev/null
out=$(memscopectl diff /tmp/a.json /tmp/b.json)
check_eq diff-exit $? 0
check_match diff-zones "$out" "zones (CHANGE: free memory)"
check_match diff-pages "$out" "pages (CHANGE per class)"
check_match diff-buddy "$(memscopectl diff /tmp/a.json /tmp/b.json)" "change"
# Oracle: the anon page count moved by at least the 64 MiB touched (16384 pages,
# less what else freed anon memory meanwhile: allow 1/8).
d=$(memscopectl diff /tmp/a.json /tmp/b.json --json |
    jq '[.changes[] | select(.path | test("^pages\\.totals\\.classes\\.anon$")) | .change] | add // 0')
if [ "$d" -ge 14336 ]; then pass diff-anon-grew-64m; else fail diff-anon-grew-64m "anon change $d pages, want >= 14336"; fi
check_match diff-live "$(memscopectl diff /tmp/a.json)" "zones (CHANGE: free memory)"
out=$(memscopectl diff /tmp/nonexistent.json 2>&1)
check_eq diff-missing-exit $? 2
check_one_line diff-missing-one-line "$out"
echo '{"x":1}' >/tmp/bad.json
out=$(memscopectl diff /tmp/bad.json 2>&1)
check_eq diff-not-snapshot-exit $? 2
check_match diff-not-snapshot-message "$out" "not a memscope snapshot"
# Not root: buddy and map are skipped with a note, the rest is saved.
out=$(su -s /bin/sh nobody -c "memscopectl snapshot -o /tmp/n.json" 2>&1)
check_eq snapshot-nobody-exit $? 0
check_match snapshot-nobody-note "$out" "buddy skipped: needs root"
check_eq snapshot-nobody-skipped "$(jq -r '.skipped.buddy' </tmp/n.json)" "needs root (CAP_SYS_ADMIN)"
check_eq snapshot-nobody-zones "$(jq '.zones.zones | length > 0' </tmp/n.json)" true

# Prometheus export: atomic file, format, and values against /proc/zoneinfo.
mkdir -p /tmp/prom
check memscopectl-export memscopectl export --prometheus -o /tmp/prom/memscope.prom
check_eq export-no-temp-left "$(ls /tmp/prom | wc -l)" 1
P=/tmp/prom/memscope.prom
bad=$(awk '
	/^# HELP / { help[$3] = 1; next }
	/^# TYPE / { if (!($4 == "gauge" || $4 == "counter")) print "bad type: " $0; type[$3] = $4; next }
	/^#/ { next }
	{
		if ($0 !~ /^memscope_[a-z0-9_]+(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? -?[0-9]+(\.[0-9]+)?$/) { print "bad line: " $0; next }
		name = $0; sub(/[{ ].*/, "", name)
		if (!(name in type) || !(name in help)) print "no HELP/TYPE before " name
		if (type[name] == "counter" && name !~ /_total$/) print "counter without _total: " name
	}' $P | head -n 3)
check_eq export-format "$bad" ""
while read -r node zone managed; do
	got=$(awk -v m="memscope_zone_managed_bytes{node=\"$node\",zone=\"$zone\"}" '$1 == m { print $2 }' $P)
	check_eq export-managed-$node-$zone "$got" $((managed * 4096))
done <<EOF
$(awk '$1 == "Node" { n = $2; sub(",", "", n); z = $4 } $1 == "managed" && $2 > 0 { print n, z, $2 }' /proc/zoneinfo)
EOF
ncpu=$(grep -c ^processor /proc/cpuinfo)
nreason=$(memscopectl info --json | jq '.tlb_reasons | length')
check_eq export-tlb-series "$(grep -c '^memscope_tlb_flushes_total{' $P)" $((ncpu * nreason))
for l in node zone order migratetype class cpu reason; do
	check_match export-label-$l "$(cat $P)" "$l=\""
done
out=$(memscopectl export --prometheus -o /nonexistent/dir/x.prom 2>&1)
check_eq export-unwritable-exit $? 1
check_one_line export-unwritable-one-line "$out"
out=$(memscopectl export 2>&1)
check_eq export-no-format-exit $? 2

# Errors: unknown subcommand with the nearest one, not loaded, exit codes.
out=$(memscopectl snapshto 2>&1)
check_eq error-unknown-exit $? 2
check_match error-unknown-suggests "$out" "did you mean 'snapshot'?"
out=$(memscopectl buddy --node x 2>&1)
check_eq error-bad-node-exit $? 2
check_one_line error-bad-node-one-line "$out"

# Recorded replies for the unit tests (tests/data): copied from the console.
echo "MSDATA-SNAPSHOT $(jq -c 'del(.map)' </tmp/a.json)"
echo "MSDATA-SNAPSHOT-B $(jq -c 'del(.map)' </tmp/b.json)"

# Module not loaded: exit 3 and what to do; then load it again for later cases.
if rmmod memscope; then
	out=$(memscopectl zones 2>&1)
	check_eq error-no-module-exit $? 3
	check_one_line error-no-module-one-line "$out"
	check_match error-no-module-fix "$out" "modprobe memscope"
	insmod /memscope/memscope.ko
fi
check ux-module-back memscopectl info
