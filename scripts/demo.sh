#!/bin/sh
# demo.sh - command (1) of the README: set up, build, run the demonstration.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
sh scripts/build.sh build
exec ./build/borne-demo --dir "${BORNE_DEMO_DIR:-build/demo}"
