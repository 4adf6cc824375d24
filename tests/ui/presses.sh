#!/bin/sh
# presses.sh - presses per task, by touch, keyboard and two switches (and in
# audio mode), from the end-to-end scripts: each is replayed headless and
# its last line "presses taps=T keys=K switches=S" is read. Prints a table
# (docs/accessibility.md quotes it) and fails if a vote by switches takes
# 100 presses or more.
# Usage: presses.sh BORNE TESTS_UI_DIR WORKDIR
set -eu
borne=$1 dir=$2 work=$3
rm -rf "$work"
mkdir -p "$work"
run() { # NAME CAMPAIGNS -> "taps keys switches"
    rm -rf "$work/state"
    "$borne" --init-demo "$work/state" --demo-campaigns "$2" >/dev/null
    "$borne" --headless --state "$work/state" --script "$dir/$1.txt" --today 2027-03-15 \
        >"$work/$1.out"
    sed -n 's/^presses taps=\([0-9]*\) keys=\([0-9]*\) switches=\([0-9]*\)$/\1 \2 \3/p' \
        "$work/$1.out"
}
printf '%-44s %8s %8s %8s\n' "task (script)" touch keys switches
for t in vote_touch:budget vote_keyboard:budget vote_switch:budget \
         petition_touch:both petition_keyboard:both petition_switch:both \
         audio_vote_keyboard:budget audio_vote_switch:budget \
         audio_petition_keyboard:both audio_petition_switch:both \
         idea_touch:all idea_keyboard:all idea_switch:all audio_idea_keyboard:all \
         quest_touch:all quest_keyboard:all quest_switch:all audio_quest_keyboard:all; do
    name=${t%%:*}
    set -- $(run "$name" "${t#*:}")
    printf '%-44s %8s %8s %8s\n' "$name" "$1" "$2" "$3"
    if [ "$name" = vote_switch ] && [ "$3" -ge 100 ]; then
        echo "FAIL: a vote by two switches takes $3 presses (100 or more)" >&2
        exit 1
    fi
done
echo "(whole sessions: welcome to receipt and back; a vote's presses to the receipt are in vote_switch.txt)"
