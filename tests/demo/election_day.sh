#!/bin/sh
# election_day.sh - the README's election day (scripts/election-day.sh),
# headless, as CI runs it: it succeeds, its results page exists, the
# turnout is not zero, and borne-tally check, run again here on what was
# published, agrees for the campaign and both petitions.
# Usage: election_day.sh SOURCE_ROOT BUILD_DIR BORNE_TALLY
set -eu
ROOT=$1
BUILD=$2
TALLY=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/election_day.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
BORNE_DEMO_DIR=$T/day sh "$ROOT/scripts/election-day.sh" --headless "$BUILD" >"$T/out" 2>&1 ||
    { cat "$T/out"; fail "the election day failed"; }
grep -q "in one screen" "$T/out" || { cat "$T/out"; fail "no summary"; }
R=$T/day/results
[ -s "$R/bp35-2027/index.html" ] || fail "no results page"
n=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['turnout']['participants'])" \
    "$R/bp35-2027/results.json")
[ "$n" -gt 0 ] || fail "turnout $n"
for c in bp35-2027 pet35-bus pet35-haies; do
    "$TALLY" check "$R/$c" >"$T/check" 2>&1 || fail "borne-tally check $c: $(cat "$T/check")"
done
# running it again is safe: it starts afresh, and says so
BORNE_DEMO_DIR=$T/day BORNE_DEMO_CROWD=12 sh "$ROOT/scripts/election-day.sh" --headless "$BUILD" \
    >"$T/out2" 2>&1 || { cat "$T/out2"; fail "the second run failed"; }
grep -q "starting afresh" "$T/out2" || fail "the second run did not say it starts afresh"
sed -n '/in one screen/,$p' "$T/out"
echo "election day: turnout $n, results page, borne-tally check agrees; a second run starts afresh"
