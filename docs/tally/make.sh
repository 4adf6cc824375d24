#!/bin/sh
# make.sh - docs/tally/results-page.png: the certified results page of the
# election that test_tally_verify builds, rendered by Debian's headless
# Chromium (apt-get install chromium) at 1000x2600.
# Usage: sh docs/tally/make.sh [BUILD_DIR]   (default: build)
set -eu
cd "$(dirname "$0")/../.."
build=${1:-build}
keep=$(mktemp -d)
trap 'rm -rf "$keep"' EXIT
BORNE_TALLY_KEEP="$keep" "$build/tally/test_tally_verify" >/dev/null 2>&1
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size=1000,2600 \
  --screenshot="$PWD/docs/tally/results-page.png" "file://$keep/certified/index.html" \
  2>/dev/null
