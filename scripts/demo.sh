#!/bin/sh
# demo.sh - command (1) of the README: set up, build, run the demonstration.
#   1. borne-demo: keys, the signed campaign, a fresh store, ballots cast and
#      refused, tracking codes (the core library on the command line);
#   2. the kiosk itself, headless: a citizen votes by touch on the screens,
#      the receipt's QR code is decoded from the screenshot and checked
#      against the tracking code, and the store is verified.
set -eu
cd "$(dirname "$0")/.."
sh scripts/setup.sh
sh scripts/build.sh build
out=${BORNE_DEMO_DIR:-build/demo}
./build/borne-demo --dir "$out"

echo
echo "8. the kiosk, headless: a citizen votes by touch (screens in $out/kiosk/shots/)"
export SDL_VIDEODRIVER=offscreen
rm -rf "$out/kiosk"
mkdir -p "$out/kiosk/shots"
./build/ui/borne --init-demo "$out/kiosk/state" >/dev/null 2>&1
./build/ui/borne --headless --state "$out/kiosk/state" --script tests/ui/vote_touch.txt \
    --shots "$out/kiosk/shots" >"$out/kiosk/stdout" 2>"$out/kiosk/stderr"
code=$(sed -n 's/^receipt //p' "$out/kiosk/stdout" | tail -n 1)
qr=$(zbarimg --raw -q "$out/kiosk/shots/receipt.png" || true)
echo "   receipt on screen: $code; its QR code reads: $qr"
[ -n "$code" ] && [ "$code" = "$qr" ]
./build/ui/borne --check-state "$out/kiosk/state" | sed 's/^/   /'
ls "$out/kiosk/shots" | sed -n '1,40p' | tr '\n' ' ' | sed 's/^/   screenshots: /'
echo
