#!/bin/sh
# pabulib_sweep.sh - every Pabulib file of a folder counted by borne-tally
# with the rule its META names, against the file's official `selected`
# column: one line a file (ok, differs, no official result, not the official
# rule, refused: WHY) and the totals. Exit 1 when a file differs or is
# refused.
# Usage: pabulib_sweep.sh BORNE_TALLY DIR
set -u
TALLY=$1
DIR=$2
ok=0 differs=0 none=0 unofficial=0 refused=0
err=$(mktemp)
trap 'rm -f "$err"' EXIT
for f in "$DIR"/*.pb; do
    [ -e "$f" ] || continue
    out=$("$TALLY" pabulib --check "$f" 2>"$err")
    rc=$?
    case "$rc:$out" in
    "0:ok "*) ok=$((ok + 1)); echo "ok                    $(basename "$f")" ;;
    "3:differs "*) differs=$((differs + 1)); echo "differs               $(basename "$f")" ;;
    "0:no official result "*) none=$((none + 1)); echo "no official result    $(basename "$f")" ;;
    "0:not the official rule "*) unofficial=$((unofficial + 1))
        echo "not the official rule $(basename "$f") (${out##*(}" ;;
    *) refused=$((refused + 1))
        echo "refused               $(basename "$f"): $(grep -v '^[a-z_0-9]* ' "$err" | head -n 1)" ;;
    esac
done
echo "total $((ok + differs + none + unofficial + refused)): ok $ok, differs $differs, no official result $none, not the official rule $unofficial, refused $refused"
[ $differs = 0 ] && [ $refused = 0 ]
