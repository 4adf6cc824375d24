#!/bin/sh
# demo_campaigns.sh - the demonstration packages of assets/campaigns/ are what
# borne-admin builds from their sources (assets/campaigns/src/ and INSEE's
# files in assets/data/), byte for byte: never edited by hand.
# Usage: demo_campaigns.sh BORNE_ADMIN SOURCE_ROOT
set -eu
ADMIN=$1
ROOT=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/demo_campaigns.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
for n in budget petition ideas questionnaire; do
    "$ADMIN" campaign build "$ROOT/assets/campaigns/src/demo-$n.json" -o "$T/demo-$n.json" >"$T/out" 2>&1 ||
        { cat "$T/out"; echo "FAIL: demo-$n does not build"; exit 1; }
    cmp "$T/demo-$n.json" "$ROOT/assets/campaigns/demo-$n.json" ||
        { echo "FAIL: assets/campaigns/demo-$n.json is not what its sources build"; exit 1; }
done
echo "demo campaigns: built from their sources"
