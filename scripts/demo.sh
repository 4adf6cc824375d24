#!/bin/sh
# demo.sh - command (1) of the README: set up, build, run the demonstration.
#   1. borne-demo: keys, the signed campaign, a fresh store, ballots cast and
#      refused, tracking codes (the core library on the command line);
#   2. the kiosk itself, headless: a citizen votes by touch on the screens,
#      the receipt's QR code is decoded from the screenshot and checked
#      against the tracking code, and the store is verified;
#   3. borne-server and two kiosks of it: a vote reserved and uploaded, the
#      same person refused at the other kiosk, the receipt looked up.
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

echo "9. the kiosks and the central server: borne-server on 127.0.0.1, two kiosks"
echo "   of it; a citizen votes at kiosk 1 (her pseudonym reserved on the server),"
echo "   the batch is uploaded, she is refused at kiosk 2, her receipt is looked up"
srv="$out/server"
rm -rf "$srv" "$out/k1" "$out/k2"
./build/server/borne-server init-demo "$srv" >/dev/null
./build/server/borne-server serve --dir "$srv" --listen 127.0.0.1:0 --port-file "$srv/port" \
    2>"$srv/log" &
spid=$!
trap 'kill $spid 2>/dev/null || true' EXIT
i=0
while [ ! -s "$srv/port" ]; do
    i=$((i + 1)); [ $i -lt 200 ] || { cat "$srv/log"; exit 1; }; sleep 0.05
done
port=$(cat "$srv/port")
for k in 1 2; do
    ./build/ui/borne --init-demo "$out/k$k" --demo-server "$srv" --demo-kiosk $k \
        --demo-port "$port" >/dev/null
done
vote='expect screen welcome
tap "Voter"
type "Le Gall"
tap "Suivant"
type "Éloïse"
tap "Suivant"
type "12041987"
tap "Suivant"
type "ren"
tap "Rennes"
tap "Continuer"
tap "Choisir : Jardin partagé du Blosne"
tap "Voir mon choix"
tap "Valider mon vote"'
printf '%s\nexpect screen receipt\nshot receipt\ntap "Terminer"\nsync close\n' "$vote" \
    >"$out/k1/vote.txt"
printf '%s\nexpect screen message\nshot already\n' "$vote" >"$out/k2/vote.txt"
./build/ui/borne --headless --state "$out/k1" --script "$out/k1/vote.txt" --shots "$out/k1" \
    >"$out/k1/stdout" 2>"$out/k1/stderr"
code=$(sed -n 's/^receipt //p' "$out/k1/stdout")
echo "   kiosk 1: receipt $code; $(grep '^sync' "$out/k1/stdout")"
./build/ui/borne --headless --state "$out/k2" --script "$out/k2/vote.txt" --shots "$out/k2" \
    >"$out/k2/stdout" 2>"$out/k2/stderr"
echo "   kiosk 2: the same person is told \"Vous avez déjà participé\" ($out/k2/already.png)"
answer=$(curl -sS --cacert "$srv/authority.crt" "https://localhost:$port/v1/receipts/$code")
echo "   the server's receipt lookup for $code: $answer"
echo "$answer" | grep -q '"counted"'
kill $spid
wait $spid 2>/dev/null || true
trap - EXIT

echo
echo "10. a town hall's day at one kiosk, from its provisioning bundle: two agents"
echo "   open the polls (zero report), citizens vote, an agent pauses and resumes,"
echo "   two agents close for good (closing report), the ballots go on a USB drive,"
echo "   borne-server imports it and borne-tally reconciles (screens in $out/agents/)"
rm -rf "$out/agents"
AGENT_FLOW_VERBOSE=1 sh tests/ui/agent_flow.sh build/provisioning/borne-admin build/ui/borne \
    build/server/borne-server build/tally/borne-tally tests/provisioning/src "$out/agents"
