#!/bin/bash
# Usage: tests/vm/splats.sh LOG
# Prints every kernel-splat line of a console log: BUG/WARNING/Oops/panic;
# KASAN and UBSAN reports; lockdep (circular or recursive locking, suspicious
# RCU usage, sleeping in atomic context, ...); DEBUG_VM page dumps and
# VM_BUG_ON; DEBUG_OBJECTS and list corruption; kmemleak leaks; soft and hard
# lockups, hung tasks, RCU stalls and workqueue lockups.
# Exit 1 if there is any, 0 if none, 2 on usage error.
# tests/splats-test.sh checks it against real reports in tests/splats/*.log.
set -eu

if [ $# -ne 1 ] || [ ! -r "$1" ]; then echo "usage: $0 LOG" >&2; exit 2; fi

# \b keeps e.g. "DEBUG:" from matching "BUG:". "kernel BUG at" is BUG_ON() and
# VM_BUG_ON() (on 6.1 it is followed by "invalid opcode: 0000 [#1]", without
# "Oops"). Lockdep headers are "WARNING: ..." lines, "BUG: sleeping function
# called from invalid context" a "BUG:" line (not the bare word "lockdep":
# a debug kernel's boot says "RCU lockdep checking is enabled"); SLUB's own reports are
# "BUG <cache> (Tainted: ...): <what>", without the colon. kmemleak prints
# "N new suspected memory leaks" at KERN_INFO (only seen with loglevel>=7); the
# guest also cats /sys/kernel/debug/kmemleak, whose entries start with
# "unreferenced object 0x...".
SPLAT='\bBUG:|kernel BUG at|\bBUG [^ ]+ \((Not tainted|Tainted)|\bWARNING:|Oops|Call Trace|KASAN|UBSAN|lockdep is turned off|possible (circular|recursive) locking|suspicious RCU usage|sleeping function called from invalid context|scheduling while atomic|page dumped because|VM_BUG_ON|ODEBUG:|list_(add|del) corruption|INFO: task|soft lockup|hard LOCKUP|self-detected stall|detected stall|detected expedited stall|workqueue lockup|new suspected memory leak|unreferenced object 0x|general protection fault|Kernel panic'
# Known-benign lines of stock Debian kernels at boot:
#  - "RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed
#    attacks, data leaks possible!" with Intel CPU models (-cpu Skylake-Client,
#    Cascadelake-Server), shown even with "quiet".
#  - "Speculative Return Stack Overflow: WARNING: See https://kernel.org/doc/html/
#    latest/admin-guide/hw-vuln/srso.html for mitigation options." with AMD models
#    (-cpu EPYC); KERN_WARNING, so only with loglevel>=5 on the command line.
BENIGN='RETBleed: WARNING:|Speculative Return Stack Overflow: WARNING:'

# Console logs from qemu have CRLF line ends and terminal escapes: drop the CRs.
if tr -d '\r' <"$1" | grep -aE "$SPLAT" | grep -avE "$BENIGN"; then
	exit 1
fi
exit 0
