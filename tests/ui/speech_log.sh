#!/bin/sh
# speech_log.sh - AUDIO-A3: what audio mode says names the voter's choices;
# only a headless test run may write it down (--speech-log). A kiosk in
# service refuses the option, and a headless run without it writes nothing.
# Usage: speech_log.sh BORNE SCRIPT WORKDIR
set -eu
borne=$1 script=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
"$borne" --init-demo "$work/state" --demo-campaigns budget >/dev/null
# 1. the window (a kiosk in service) refuses it, before opening anything
if "$borne" --state "$work/state" --speech-log "$work/said.log" 2>"$work/err"; then
    echo "FAIL: --speech-log accepted without --headless" >&2
    exit 1
fi
grep -q "only with --headless" "$work/err" || { cat "$work/err"; exit 1; }
[ ! -e "$work/said.log" ] || { echo "FAIL: $work/said.log written" >&2; exit 1; }
# 2. a headless run in audio mode without the option: no new file but the
#    store's own (SQLite's journal), nothing in the working directory
find "$work" -type f | sort >"$work/before"
(cd "$work" && "$borne" --headless --state "$work/state" --script "$script" \
    --today 2027-03-15 >/dev/null)
find "$work" -type f | sort >"$work/after"
new=$(comm -13 "$work/before" "$work/after" | grep -v -e '/kiosk\.db' -e '/before$' -e '/after$' || true)
[ -z "$new" ] || { echo "FAIL: files written by an audio-mode run: $new" >&2; exit 1; }
echo "ok: --speech-log refused by the kiosk; an audio-mode run writes only its store"
