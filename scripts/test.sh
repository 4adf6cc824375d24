#!/bin/sh
# test.sh - command (2) of the README: set up, build, run every test with ctest.
# Usage: scripts/test.sh [DIR] [extra cmake arguments...]
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
dir=${1:-build}
[ $# -gt 0 ] && shift
sh scripts/build.sh "$dir" "$@"
cd "$dir"
ctest --no-tests=error --output-on-failure -j "$(nproc)"
