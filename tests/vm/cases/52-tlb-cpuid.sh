# TLB geometry on this (virtual) CPU against a reference decoder of the same
# CPUID values: Debian's `cpuid`, run in the guest. Boot with run.sh --cpu
# MODEL to try qemu's CPU models (qemu's Intel models give no TLB
# descriptors: both must then say nothing; its AMD-like ones fill
# 0x80000005/6).
. /memscope/lib.sh

if ! command -v cpuid >/dev/null; then
	fail tlb-cpuid-setup "no cpuid in the image (scripts/deps.sh installs it)"
	exit 0
fi
cpuid -1 | awk -f /memscope/cpuid-tlb.awk | sort >/tmp/ref.tlb
memscopectl tlb --geometry --json >/tmp/geo.json
jq -r '.tlbs[] | "\(.kind) \(.page_kb) \(.entries) \(if .ways == 0 then "-" else .ways end)"' /tmp/geo.json |
	sort >/tmp/ms.tlb
# Where cpuid gives no ways, ours are not compared.
ms=$(paste -d' ' /tmp/ref.tlb /tmp/ms.tlb | awk '$4 == "-" { $8 = "-" } { print $5, $6, $7, $8 }' | tr '\n' ';')
[ "$(wc -l </tmp/ref.tlb)" = "$(wc -l </tmp/ms.tlb)" ] || ms=$(tr '\n' ';' </tmp/ms.tlb)
echo "tlb cpuid: $(cpuid -1 | sed -n 's/.*(simple synth) *= *//p' | head -n 1): $(jq -r .source /tmp/geo.json)"
check_eq tlb-geometry-vs-cpuid "$ms" "$(tr '\n' ';' </tmp/ref.tlb)"
if [ -s /tmp/ref.tlb ]; then
	check tlb-geometry-known test "$(jq '.tlbs | length' /tmp/geo.json)" -gt 0
else
	check_match tlb-geometry-unknown "$(jq -r .source /tmp/geo.json)" "unknown"
fi
cpuid -1 -r >/tmp/cpuid.raw
check_eq tlb-geometry-dump-same-as-cpu "$(memscopectl tlb --geometry --json --cpuid-file /tmp/cpuid.raw)" \
	"$(memscopectl tlb --geometry --json)"
