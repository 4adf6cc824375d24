#!/bin/sh
# tests/secrets/keep_logs.sh DIR - called by a shell test's exit trap before it
# removes its folder: when BORNE_KEEP_LOGS names a folder, appends what the
# programs printed there (files named err, out, *.err, *.out, *.log) to
# BORNE_KEEP_LOGS/TEST.log, for tests/secrets/scan.sh. Inputs (scripts, PIN
# files) are not copied: only outputs are scanned. Never fails the test.
[ -n "${BORNE_KEEP_LOGS:-}" ] && [ -d "${1:-}" ] || exit 0
mkdir -p "$BORNE_KEEP_LOGS" 2>/dev/null || exit 0
out="$BORNE_KEEP_LOGS/$(basename "${2:-$1}").$$.log"
find "$1" -type f \( -name err -o -name out -o -name '*.err' -o -name '*.out' -o -name '*.log' \) \
    -size -8M 2>/dev/null | while read -r f; do
    echo "== $f"
    cat "$f"
done >>"$out" 2>/dev/null
exit 0
