#!/bin/sh
# pack_check.sh DIR > SEED - packs a published folder (borne-tally publish
# -o DIR) as one input of tests/tally/fuzz_check.c: "@@@ NAME" then the
# file's bytes, for each regular file but the page and the report (which
# check does not read), a newline added where one lacks.
set -eu
for f in "$1"/*; do
    [ -f "$f" ] || continue
    case $(basename "$f") in index*.html | verification.txt) continue ;; esac   # not read by check
    printf '@@@ %s\n' "$(basename "$f")"
    cat "$f"
    [ -z "$(tail -c 1 "$f")" ] || printf '\n'
done
