# GET_INFO against independent oracles: uname, /proc/zoneinfo, /proc/pagetypeinfo,
# /proc/buddyinfo, /proc/self/smaps, /proc/meminfo, sysfs.
. /memscope/lib.sh

J=/tmp/info.json
memscopectl info --json >$J
check_eq info-json-one-document "$(jq -s length <$J)" 1
check_eq info-kernel-release "$(jq -r .kernel_release <$J)" "$(uname -r)"

# The page size the kernel maps this process with (smaps' KernelPageSize).
ps_kb=$(awk '/^KernelPageSize:/ { print $2; exit }' /proc/self/smaps)
check_eq info-page-size "$(jq -r .page_size <$J)" $((ps_kb * 1024))

# Migratetype names as /proc/pagetypeinfo prints them, in order.
want=$(awk '/^Node +[0-9]+, zone +[A-Za-z0-9]+, type/ { t = $6; if (!(t in seen)) { seen[t] = 1; printf "%s ", t } }' /proc/pagetypeinfo)
check_eq info-migratetypes "$(jq -r '.migratetypes | join(" ")' <$J) " "$want"

# /proc/zoneinfo lists every zone of node 0, populated or not, in index order.
want=$(awk '/^Node 0, zone/ { printf "%s ", $4 }' /proc/zoneinfo)
check_eq info-zones "$(jq -r '.zones | join(" ")' <$J) " "$want"

# /proc/buddyinfo has one column per order.
cols=$(awk 'NR == 1 { print NF - 4 }' /proc/buddyinfo)
check_eq info-max-order "$(jq -r .max_order <$J)" $((cols - 1))

nodes=$(ls -d /sys/devices/system/node/node[0-9]* | wc -l)
check_eq info-nr-nodes "$(jq -r .nr_nodes <$J)" "$nodes"
check_eq info-nr-cpus "$(jq -r .nr_cpus <$J)" "$(grep -c ^processor /proc/cpuinfo)"

# On x86 a pageblock is a huge page: order = log2(Hugepagesize / page size).
hp_kb=$(awk '/^Hugepagesize:/ { print $2 }' /proc/meminfo)
o=0
while [ $((ps_kb << o)) -lt "$hp_kb" ]; do o=$((o + 1)); done
check_eq info-pageblock-order "$(jq -r .pageblock_order <$J)" $o
check_eq info-protocol-version "$(jq -r .protocol_version <$J)" 1
check_match info-features "$(jq -r '.features | join(" ")' <$J)" "info zones buddy"

out=$(memscopectl info)
check_match info-table-explains "$out" "free memory is kept in blocks of 2^order pages"
check_match info-table-release "$out" "on Linux $(uname -r)"

# debugfs view of the same subject.
D=/sys/kernel/debug/memscope
check_eq debugfs-info-release "$(awk '$1 == "kernel_release" { print $2 }' $D/info)" "$(uname -r)"
check_eq debugfs-info-mode "$(stat -c %a $D/info)" 444
check_eq debugfs-zones-mode "$(stat -c %a $D/zones)" 400
check_eq debugfs-buddy-mode "$(stat -c %a $D/buddy)" 400
check_eq debugfs-no-write-bits "$(find $D -type f -perm /222 | wc -l)" 0

# Tool basics.
check_match tool-version "$(memscopectl --version)" "memscopectl 0.1.0 (protocol 1)"
check_match tool-help "$(memscopectl --help)" "zones"
check_match tool-subcommand-help "$(memscopectl info --help)" "Usage: memscopectl info"
out=$(memscopectl zonse 2>&1)
check_eq tool-unknown-subcommand-exit $? 2
check_match tool-unknown-subcommand-suggests "$out" "did you mean 'zones'?"
out=$(memscopectl zones --bogus 2>&1)
check_eq tool-bad-option-exit $? 2
check_one_line tool-bad-option-one-line "$out"
