# Malformed requests get an extack message, which memscopectl's request path
# shows as one line; and 1000 queries in a row leave the module healthy.
. /memscope/lib.sh

out=$(nlprobe unknown-attr 2>&1)
check_eq nl-unknown-attr-exit $? 1
check_one_line nl-unknown-attr-one-line "$out"
check_match nl-unknown-attr-extack "$out" "Unsupported attribute"

out=$(nlprobe wrong-type 2>&1)
check_eq nl-wrong-type-exit $? 1
check_one_line nl-wrong-type-one-line "$out"
check_match nl-wrong-type-extack "$out" "invalid attribute length"

out=$(nlprobe out-of-range 2>&1)
check_eq nl-out-of-range-exit $? 1
check_match nl-out-of-range-extack "$out" "out of range"

out=$(nlprobe unknown-cmd 2>&1)
check_eq nl-unknown-cmd-exit $? 5
check_one_line nl-unknown-cmd-one-line "$out"
check_match nl-unknown-cmd-message "$out" "does not know this command"

check_match nl-1000-queries "$(nlprobe loop 1000 2>&1)" "1000 requests, last error 0"
i=0
while [ $i -lt 50 ]; do memscopectl info --json >/dev/null || break; i=$((i + 1)); done
check_eq tool-50-invocations $i 50

# Unprivileged users: info and zones work without pfns; buddy needs root.
out=$(su -s /bin/sh nobody -c "memscopectl info --json" 2>&1)
check_eq nobody-info $? 0
out=$(su -s /bin/sh nobody -c "memscopectl zones --json" 2>&1)
check_eq nobody-zones $? 0
check_eq nobody-zones-no-pfn "$(echo "$out" | jq '[.zones[] | select(has("start_pfn"))] | length')" 0
check_eq root-zones-has-pfn "$(memscopectl zones --json | jq '[.zones[] | select(has("start_pfn"))] | length')" \
	"$(memscopectl zones --json | jq '.zones | length')"
out=$(su -s /bin/sh nobody -c "memscopectl buddy" 2>&1)
check_eq nobody-buddy-exit $? 4
check_one_line nobody-buddy-one-line "$out"
check_match nobody-buddy-message "$out" "needs CAP_SYS_ADMIN"
