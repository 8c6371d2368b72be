#!/bin/bash
# Usage: tests/vm/splats.sh LOG
# Prints every kernel-splat line of a console log (BUG, WARNING, Oops, lockdep,
# KASAN, UBSAN, stalls, hung tasks, kmemleak leaks, panics, ...).
# Exit 1 if there is any, 0 if none, 2 on usage error.
set -eu

[ $# -eq 1 ] && [ -r "$1" ] || { echo "usage: $0 LOG" >&2; exit 2; }

SPLAT='BUG:|WARNING:|Oops|Call Trace|KASAN|UBSAN|lockdep|possible recursive locking|INFO: task|soft lockup|hard LOCKUP|rcu_sched self-detected stall|detected stall|kmemleak:.*unreferenced|^unreferenced object 0x|general protection fault|Kernel panic'
# Known-benign lines of stock Debian kernels at boot:
#  - "RETBleed: WARNING: Spectre v2 mitigation leaves CPU vulnerable to RETBleed
#    attacks, data leaks possible!" with Intel CPU models (-cpu Skylake-Client).
BENIGN='RETBleed: WARNING:'

# Console logs from qemu have CRLF line ends and terminal escapes: drop the CRs.
if tr -d '\r' <"$1" | grep -aE "$SPLAT" | grep -avE "$BENIGN"; then
	exit 1
fi
exit 0
