#!/bin/sh
# test.sh - command (2) of the README: set up, build, run every test with ctest.
# Usage: scripts/test.sh [DIR] [extra cmake arguments...]
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
dir=${1:-build}
[ $# -gt 0 ] && shift
sh scripts/build.sh "$dir" "$@"
src=$(pwd)
cd "$dir"
# what every test printed, and the logs the shell tests keep, are then
# scanned for the suite's own PINs, passphrases and keys (issue 18, section 4)
rm -rf kept-logs && mkdir kept-logs
BORNE_KEEP_LOGS=$PWD/kept-logs ctest --no-tests=error --output-on-failure -j "$(nproc)"
sh "$src/tests/secrets/scan.sh" "$src" Testing/Temporary/LastTest.log kept-logs
