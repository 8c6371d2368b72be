# memscopectl zones against /proc/zoneinfo, filters, watch and bad input.
. /memscope/lib.sh
. /memscope/mm.sh

compare_zones zones-equal-zoneinfo

n=$(memscopectl zones --json | jq '.zones | length')
want=$(zoneinfo_kv | awk '{ print $1, $2 }' | sort -u | wc -l)
check_eq zones-count "$n" "$want"
check_eq zones-filter-node "$(memscopectl zones --json --node 0 | jq '[.zones[].node] | unique | join(",")' -r)" 0
check_eq zones-filter-zone "$(memscopectl zones --json --zone dma32 | jq -r '[.zones[].zone] | unique | join(",")')" DMA32

out=$(memscopectl zones --node 7 2>&1)
check_eq zones-unknown-node-exit $? 6
check_one_line zones-unknown-node-one-line "$out"
check_match zones-unknown-node-message "$out" "no such NUMA node online"
out=$(memscopectl zones --zone Bogus 2>&1)
check_eq zones-unknown-zone-exit $? 6
check_match zones-unknown-zone-message "$out" "no such zone type"
out=$(memscopectl zones --watch -1 2>&1)
check_eq zones-bad-watch-exit $? 2
check_one_line zones-bad-watch-one-line "$out"
out=$(memscopectl zones --watch 99999999 2>&1)
check_eq zones-huge-watch-exit $? 2
out=$(memscopectl zones --node -1 2>&1)
check_eq zones-negative-node-exit $? 2

# Not a terminal: --watch appends plain samples, one per interval.
out=$(memscopectl zones --watch 0.2 --count 3 -p)
check_eq zones-watch-samples "$(echo "$out" | grep -c '^Node 0')" 3
check_match zones-watch-change "$out" "CHANGE: free memory change over the last 0.2 s"
check_eq zones-watch-json-lines "$(memscopectl zones --json --watch 0.2 --count 2 | jq -s length)" 2

out=$(memscopectl zones)
check_match zones-table-explains "$out" "Below low, kswapd starts"
check_match zones-table-header "$out" "HEADROOM"

# debugfs zones shows the same managed pages as zoneinfo.
want=$(zoneinfo_kv | awk '$3 == "managed" { printf "%s ", $4 }')
got=$(awk '$1 == "managed" { printf "%s ", $2 }' /sys/kernel/debug/memscope/zones)
check_eq debugfs-zones-managed "$got" "$want"
