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
echo "8. the kiosk, headless: a citizen votes by touch, another signs the petition"
echo "   (screens in $out/kiosk/vote/ and $out/kiosk/petition/)"
export SDL_VIDEODRIVER=offscreen
rm -rf "$out/kiosk"
mkdir -p "$out/kiosk/vote" "$out/kiosk/petition"
./build/ui/borne --init-demo "$out/kiosk/state" >/dev/null 2>&1
for flow in vote:vote_both petition:petition_touch; do
    name=${flow%%:*} script=${flow#*:}
    # the test scripts run on a fixed day; the demo runs today: drop the
    # lines that expect a number of days left
    grep -v 'jours pour signer' "tests/ui/$script.txt" >"$out/kiosk/$script.txt"
    ./build/ui/borne --headless --state "$out/kiosk/state" --script "$out/kiosk/$script.txt" \
        --shots "$out/kiosk/$name" >"$out/kiosk/$name.stdout" 2>"$out/kiosk/$name.stderr"
    code=$(sed -n 's/^receipt //p' "$out/kiosk/$name.stdout" | tail -n 1)
    qr=$(zbarimg --raw -q "$out/kiosk/$name/receipt.png" 2>/dev/null || true)
    echo "   $name: receipt on screen $code, its QR code reads $qr"
    [ -n "$code" ] && [ "$code" = "$qr" ]
done
./build/ui/borne --check-state "$out/kiosk/state" | sed 's/^/   /'
echo
