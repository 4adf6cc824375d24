#!/bin/sh
# refs.sh - reference screenshots: replays tests/ui/refs.txt (the budget
# vote alone open) and tests/ui/refs-petition.txt (with the petition) and compares
# each shot with tests/ui/ref/NAME.png (borne --refs: mean difference under
# 1 %, under 0.5 % of pixels off by more than 32; NAME_err.png otherwise),
# then checks that a changed screen is caught. With BORNE_UPDATE_REFS=1
# the references are written instead (never by hand).
# Usage: refs.sh BORNE SOURCE_DIR WORKDIR
set -eu
borne=$1 src=$2 work=$3
rm -rf "$work"
mkdir -p "$work/shots" "$work/other"
"$borne" --init-demo "$work/state" --demo-campaigns budget >/dev/null
"$borne" --headless --state "$work/state" --script "$src/tests/ui/refs.txt" \
    --shots "$work/shots" --shot-width 960 --today 2027-03-15 --refs "$src/tests/ui/ref"
"$borne" --init-demo "$work/both" --demo-campaigns both >/dev/null
"$borne" --headless --state "$work/both" --script "$src/tests/ui/refs-petition.txt" \
    --shots "$work/shots" --shot-width 960 --today 2027-03-15 --refs "$src/tests/ui/ref"
[ "${BORNE_UPDATE_REFS:-}" = 1 ] && exit 0
echo "every shot matches its reference"
# a different screen under a reference's name must fail, with welcome_err.png
printf 'tap "English"\nshot welcome\n' >"$work/other.txt"
if "$borne" --headless --state "$work/state" --script "$work/other.txt" \
    --shots "$work/other" --shot-width 960 --today 2027-03-15 --refs "$src/tests/ui/ref" \
    2>"$work/other.err"; then
    echo "FAIL: the English welcome screen matched the French reference" >&2
    exit 1
fi
cat "$work/other.err"
[ -f "$work/other/welcome_err.png" ] || { echo "FAIL: no welcome_err.png" >&2; exit 1; }
echo "a changed screen is caught"
