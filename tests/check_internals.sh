#!/bin/sh
# check_internals.sh - internals stay inside their module: a symbol with a
# double underscore, PREFIX__name, may be used only by an object file that
# itself defines PREFIX_ symbols (a file of the module PREFIX). Checked on
# the objects of every library the programs are built from, with nm.
# Usage: check_internals.sh NM LIBRARY.a...
set -eu
nm_=${1:?usage: check_internals.sh NM LIBRARY.a...}
shift
fail=0
for lib in "$@"; do
    [ -f "$lib" ] || { echo "$lib: no such library"; exit 1; }
    # lines "object defined|undefined symbol", one per symbol
    "$nm_" -A "$lib" 2>/dev/null | awk '
        { n = split($0, f, " "); where = f[1]; sub(/:[^:]*$/, "", where); sub(/^.*:/, "", where)
          sym = f[n]; type = f[n - 1] }
        type == "U" { print where " U " sym; next }
        type ~ /^[TDBRC]$/ { print where " D " sym }' >"${TMPDIR:-/tmp}/internals.$$"
    awk -v lib="$lib" '
        { if ($2 == "D") { p = $3; if (match(p, /^[a-z0-9]+_[a-z0-9]/)) { split(p, a, "_"); defs[$1 " " a[1]] = 1 } }
          else uses[NR] = $0 }
        END {
          bad = 0
          for (i in uses) {
            split(uses[i], u, " "); sym = u[3]
            if (sym !~ /^[a-z0-9]+__[a-z0-9_]+$/) continue
            prefix = sym; sub(/__.*/, "", prefix)
            if (!((u[1] " " prefix) in defs)) {
              printf "%s: %s uses %s, an internal of module %s\n", lib, u[1], sym, prefix
              bad = 1
            }
          }
          exit bad
        }' "${TMPDIR:-/tmp}/internals.$$" || fail=1
    rm -f "${TMPDIR:-/tmp}/internals.$$"
done
[ $fail -eq 0 ] && echo "internals: every PREFIX__ symbol is used inside its module only"
exit $fail
