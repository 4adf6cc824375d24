#!/bin/sh
# build.sh - configure and build borne into DIR (default: build).
# Usage: scripts/build.sh [DIR] [extra cmake arguments...]
set -eu
cd "$(dirname "$0")/.."
dir=${1:-build}
[ $# -gt 0 ] && shift
cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DBORNE_WERROR=ON "$@" >/dev/null
cmake --build "$dir" -j "$(nproc)"
