#!/bin/sh
# check_invariants.sh - the invariant registry (docs/design.md) traced both
# ways, as SQLite traces its requirement marks into its tests:
#   1. every invariant id marked in the sources (MODULE-Xn) is in the registry;
#   2. every registry entry is named by at least one test (tests/);
#   3. no old unprefixed mark (a letter and a number in parentheses) is left.
# Usage: check_invariants.sh SOURCE_DIR
set -eu
src=${1:?usage: check_invariants.sh SOURCE_DIR}
cd "$src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail=0

# the registry: table rows "| **ID** | ..."
sed -n 's/^| \*\*\([A-Z][A-Z]*-[A-Z][0-9][0-9]*\)\*\* |.*/\1/p' docs/design.md | sort >"$tmp/registry"
[ -s "$tmp/registry" ] || { echo "no registry entries in docs/design.md"; exit 1; }
dups=$(uniq -d "$tmp/registry")
[ -z "$dups" ] || { echo "registry: ids listed twice: $dups"; fail=1; }

code_dirs="firmware ui server tally tools bench provisioning"
exist=""
for d in $code_dirs; do [ -d "$d" ] && exist="$exist $d"; done
ids() { grep -rhoE '\b(DESIGN|STORE|CAST|RULES|BUNDLE|PET|SYNC|KSYNC|SRV|EXPORT|VERIFY|SRVDB|TURNOUT|PUB|MES|[A-Z]{2,8})-[A-Z][0-9]{1,2}\b' "$@" 2>/dev/null | sort -u; }

# 1. marks in the code, and in the docs, are registered
ids $exist docs README.md DEVELOPERS.md >"$tmp/marked"
comm -23 "$tmp/marked" "$tmp/registry" >"$tmp/unknown"
if [ -s "$tmp/unknown" ]; then
    echo "marked in the sources but not in docs/design.md:"
    for id in $(cat "$tmp/unknown"); do
        grep -rnoE "\\b$id\\b" $exist docs README.md DEVELOPERS.md | head -3 | sed 's/^/    /'
    done
    fail=1
fi

# 2. every entry is named by a test
ids tests >"$tmp/tested"
comm -23 "$tmp/registry" "$tmp/tested" >"$tmp/untested"
if [ -s "$tmp/untested" ]; then
    echo "in docs/design.md but named by no test under tests/:"
    sed 's/^/    /' "$tmp/untested"
    fail=1
fi

# 3. no unprefixed mark left (they collided across modules)
if grep -rnE '\((B|C|D|E|K|M|P|R|S|T|V|Y)[0-9]{1,2}\)' $exist tests docs \
        --include='*.c' --include='*.h' --include='*.md' --include='*.sh' --include='*.cmake' >"$tmp/old"; then
    echo "unprefixed invariant marks (use the registry id):"
    head -20 "$tmp/old" | sed 's/^/    /'
    fail=1
fi

n=$(wc -l <"$tmp/registry")
if [ $fail -eq 0 ]; then
    echo "invariant registry: $n ids; every mark registered, every entry named by a test"
fi
exit $fail
