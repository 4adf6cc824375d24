#!/bin/sh
# e2e.sh - one end-to-end kiosk test: a fresh demo state directory, a script
# replayed headless, then the store checked and the receipt's QR decoded.
# Usage: e2e.sh BORNE SCRIPT WORKDIR EXPECTED_BALLOTS [qr|speech|-] [WxH] [SIGNATURES] [IDEAS]
#   qr: the script saves a shot named "receipt"; its QR code must decode
#   (zbarimg) to the tracking code borne printed ("receipt CODE" on stdout).
#   speech: audio mode; what it said goes to WORKDIR/speech.log, and the
#   last receipt's code must have been said there character by character.
#   WxH: the screen size (default 1920x1080).
#   SIGNATURES: the demo petition is open too (both campaigns), and its
#   register and signature records must count SIGNATURES, all verified;
#   without it the budget vote is the only campaign.
#   IDEAS: the demo call for ideas and consultation are open too (all four
#   campaigns), and the store must hold IDEAS idea records, all verified.
#   ANSWERS (with IDEAS): the consultation's answer sets and register
#   entries, then its free texts, as "A/T" (e.g. 1/1), all verified.
set -eu
borne=$1 script=$2 work=$3 expected=$4 qr=${5:-} size=${6:-1920x1080} sigs=${7:--} ideas=${8:--}
answers=${9:--}
rm -rf "$work"
mkdir -p "$work/shots"
if [ "$ideas" != - ]; then
    "$borne" --init-demo "$work/state" --demo-campaigns all >/dev/null
elif [ "$sigs" = - ]; then
    "$borne" --init-demo "$work/state" --demo-campaigns budget >/dev/null
else
    "$borne" --init-demo "$work/state" --demo-campaigns both >/dev/null
fi
speech=""
[ "$qr" = speech ] && speech="--speech-log $work/speech.log"
# shellcheck disable=SC2086
"$borne" --headless --state "$work/state" --script "$script" --shots "$work/shots" \
    --today 2027-03-15 --warn-ms 60000 --reset-ms 90000 --size "$size" $speech >"$work/stdout"
cat "$work/stdout"
"$borne" --check-state "$work/state" >"$work/check"
cat "$work/check"
grep -q "^campaign bp35-demo registered $expected ballots $expected\$" "$work/check" || {
    echo "FAIL: expected $expected ballot(s) and register entries" >&2
    exit 1
}
if [ "$sigs" != - ]; then
    grep -q "^campaign pet35-demo registered $sigs signatures $sigs verified $sigs\$" \
        "$work/check" || {
        echo "FAIL: expected $sigs petition signature(s), register entries, all verified" >&2
        exit 1
    }
fi
if [ "$ideas" != - ]; then
    grep -q "^campaign idees35-demo ideas $ideas verified $ideas\$" "$work/check" || {
        echo "FAIL: expected $ideas idea(s), all verified" >&2
        exit 1
    }
fi
if [ "$answers" != - ]; then
    a=${answers%/*} t=${answers#*/}
    grep -q "^campaign consult35-demo registered $a answers $a texts $t verified $t\$" \
        "$work/check" || {
        echo "FAIL: expected $a answer set(s) and register entries, $t text(s), all verified" >&2
        exit 1
    }
fi
if [ "$qr" = qr ]; then
    code=$(sed -n 's/^receipt //p' "$work/stdout" | tail -n 1)
    [ -n "$code" ] || { echo "FAIL: no receipt printed" >&2; exit 1; }
    decoded=$(zbarimg --raw -q "$work/shots/receipt.png")
    [ "$decoded" = "$code" ] || {
        echo "FAIL: QR code says '$decoded', receipt says '$code'" >&2
        exit 1
    }
    echo "QR code matches the tracking code $code"
fi
if [ "$qr" = speech ]; then
    code=$(sed -n 's/^receipt //p' "$work/stdout" | tail -n 1)
    [ -n "$code" ] || { echo "FAIL: no receipt printed" >&2; exit 1; }
    # 9PC5-WMDY-Y2V0 -> "9, P, C, 5, tiret, W, ..." (the word for the dash varies)
    spelled=$(printf '%s' "$code" | sed 's/./&, /g; s/, $//; s/-/[a-z]*/g')
    grep -q "$spelled" "$work/speech.log" || {
        echo "FAIL: the tracking code $code was not spelled in $work/speech.log" >&2
        exit 1
    }
    echo "tracking code $code spelled in audio mode"
fi
