# The TLB lines of `cpuid` (Debian package cpuid) decoding, one per page size:
# "kind page_kb entries ways" (ways "-" when cpuid gives none). Shared by
# tests/cpuid-ref.sh (host) and the VM's TLB geometry case (busybox awk).
function emit(kind, pages, n, ways,   i, p, np) {
	np = split(pages, p, " ")
	for (i = 1; i <= np; i++) print kind, p[i], n, ways
}
# Leaf 2: "0x63: data TLB: 2M/4M pages, 4-way, 32 entries" (and continuation lines)
/cache and TLB information \(2\)/ { l2 = 1; next }
l2 && /^   [^ ]/ { l2 = 0 }
l2 && / TLB: / {
	line = $0; sub(/^ *(0x[0-9a-f]+: )?/, "", line)
	kind = line ~ /^instruction/ ? "instruction" : line ~ /^L2 TLB/ ? "unified" : "data"
	sub(/^[^:]*: /, "", line)
	n = split(line, f, ", ")
	pg = f[1]; sub(/ pages$/, "", pg)
	pages = ""
	if (pg == "4K" || pg == "4K & 4M") pages = "4"
	if (pg == "2M/4M" || pg == "2M") pages = "2048"
	if (pg == "1G") pages = "1048576"
	if (pg == "4K & 2M/4M" || pg == "4K/2M" || pg == "4K & 2M") pages = "4 2048"
	ent = f[n]; sub(/ entries$/, "", ent); sub(/^[0-9]+\//, "", ent)
	ways = "-"
	if (n == 3) { ways = f[2]; if (ways == "fully") ways = ent; else sub(/-way$/, "", ways) }
	if (pages != "") emit(kind, pages, ent, ways)
	next
}
# Leaf 0x18 blocks
/Deterministic Address Translation Parameters/ { t18 = 1; pg = ""; next }
t18 && /4KB page size entries supported *= true/ { pg = pg " 4" }
t18 && /2MB page size entries supported *= true/ { pg = pg " 2048" }
t18 && /1GB page size entries supported *= true/ { pg = pg " 1048576" }
t18 && /ways of associativity/ { w = $NF; gsub(/[()]/, "", w) }
t18 && /number of sets/ { s = $NF; gsub(/[()]/, "", s) }
t18 && /translation cache type/ { ty = $0; sub(/.*= /, "", ty); sub(/ .*/, "", ty); sub(/-only/, "", ty) }
t18 && /fully associative/ {
	full = $NF == "true"
	if (ty != "invalid") emit(ty, pg, w * s, full ? w * s : w)
	t18 = 0
}
# AMD 0x80000005/6 blocks
/L[12] TLB\/cache information: .* pages & L[12] TLB/ {
	amd = $0 ~ /L1 TLB/ ? 1 : 2; pages = $0 ~ /2M\/4M/ ? "2048" : "4"; next
}
amd && /(instruction|data) # entries/ { e[$1] = $NF; gsub(/[()]/, "", e[$1]); next }
amd && /(instruction|data) associativity/ {
	k = $1; a = $0; sub(/.*= /, "", a)
	if (amd == 1) { v = a; sub(/.*\(/, "", v); sub(/\).*/, "", v); ways = v == 255 ? e[k] : v }
	else if (a ~ /full/) ways = e[k]
	else if (a ~ /direct/) ways = 1
	else { ways = a; sub(/[ -].*/, "", ways) }
	if (e[k] > 0) emit(k, pages, e[k], ways)
	next
}
amd && /^   [^ ]/ { amd = 0 }
