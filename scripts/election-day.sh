#!/bin/sh
# election-day.sh - an election day of borne, the whole system at once
# (the README's first command runs it after the build: scripts/demo.sh).
#
#   sh scripts/election-day.sh [--headless] [BUILD_DIR]
#
# On a fixed day, 15 March 2027 (every program is told the day, so that the
# demonstration gives the same story whenever it runs):
#   1. a demo authority; the campaign "bp35-2027" built with borne-admin from
#      assets/demo/ (the six territories of Ille-et-Vilaine, 2 MEUR split
#      equally, 42 projects with their pictures, INSEE's communes and
#      cantons) and two petitions under the droit d'interpellation rule; the
#      agents of two town halls; borne-server's folder;
#   2. two kiosks enrolled and provisioned: Rennes (on the network) and
#      Fougères (no network: its USB drive carries everything);
#   3. borne-server on 127.0.0.1; two agents open the polls of each kiosk;
#   4. with a display (and without --headless): kiosk 1 opens in a window,
#      ready for you to vote; close it to let the day go on;
#   5. a crowd of a few hundred citizens, headless, votes and signs at both
#      kiosks, refusals included (under 16, a commune outside the
#      département, a second time); at Fougères a voter who cannot see the
#      screen votes in audio mode with the keypad alone; kiosk 1 loses the server for a while
#      (it casts offline) and catches up when the server is back;
#   6. the agents close both kiosks (closing reports); kiosk 1 sends the
#      rest over the network, kiosk 2's agent exports to a USB drive that
#      borne-server imports; the server makes a verified backup;
#   7. borne-tally verifies every ballot and signature, reconciles each
#      kiosk's closing report, counts and publishes; `borne-tally check`
#      recomputes every published figure.
# It starts afresh each time (it says so), prints where the results pages,
# the reports and the screenshots are, and a one-screen summary.
# BORNE_DEMO_DIR: where (default BUILD_DIR/demo); BORNE_DEMO_CROWD: citizens
# per kiosk (default 150).
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
headless=0
B=build
for a in "$@"; do
    case $a in
    --headless) headless=1 ;;
    -*) echo "election-day: unknown option '$a' (--headless)" >&2; exit 2 ;;
    *) B=$a ;;
    esac
done
[ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ] || headless=1
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
ADMIN=$(abs "$B/provisioning/borne-admin")
BORNE=$(abs "$B/ui/borne")
SRV=$(abs "$B/server/borne-server")
TALLY=$(abs "$B/tally/borne-tally")
for p in "$ADMIN" "$BORNE" "$SRV" "$TALLY"; do
    [ -x "$p" ] || { echo "election-day: $p is not built (sh scripts/build.sh $B)" >&2; exit 1; }
done
OUT=${BORNE_DEMO_DIR:-$B/demo}
CROWD=${BORNE_DEMO_CROWD:-150}
DAY=2027-03-15
START=$(date +%s%N)
if [ -e "$OUT" ]; then
    echo "election day: starting afresh (the previous run's $OUT is removed)"
    rm -rf "$OUT"
fi
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
SPID=0
trap '[ $SPID = 0 ] || kill $SPID 2>/dev/null || true' EXIT
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
fail() { echo "election day: FAILED: $*" >&2; exit 1; }
step() { printf '\n%s\n' "$*"; }
say() { echo "   $*"; }
cd "$OUT"
mkdir -p shots logs

# --- 1. the authority, the campaigns, the agents, the server's folder --------------
step "1. the authority's computer: the campaign and two petitions, built from assets/demo/ and signed"
printf 'phrase de passe de la démonstration\n' >pass
P="--passphrase-file pass"
"$ADMIN" authority init auth --name Autorite-35-demo --from 2026-12-01 \
    --until 2031-12-31 $P >logs/authority.txt 2>&1 || fail "authority init: $(cat logs/authority.txt)"
for c in budget:bp35-2027 petition-bus:pet35-bus petition-haies:pet35-haies; do
    src=${c%%:*} id=${c#*:}
    "$ADMIN" campaign build "$ROOT/assets/demo/$src.json" -o "$id.json" >"logs/build-$id.txt" 2>&1 ||
        fail "campaign build $src: $(cat "logs/build-$id.txt")"
    "$ADMIN" campaign sign "$id.json" --authority auth -o "$id.bpkg" $P >"logs/sign-$id.txt" 2>&1 ||
        fail "campaign sign $id: $(cat "logs/sign-$id.txt")"
done
say "$(grep '^built' logs/build-bp35-2027.txt | sed 's/ (not yet signed)//; s/^built [^:]*: //')"
say "petitions pet35-bus (evening buses) and pet35-haies (hedgerows): 1 000 signatures from 3 cantons"
"$ADMIN" server init srv --authority auth --host localhost --port 9 $P >logs/server-init.txt 2>&1 ||
    fail "server init: $(cat logs/server-init.txt)"
# the agents of two town halls: Rennes (35238) and Fougères (35115)
for a in 35238:marie:"Marie Le Goff":482913 35238:paul:"Paul Hamon":735184 \
         35115:gwen:"Gwenaëlle Rault":316274 35115:yvon:"Yvon Bertel":859021; do
    commune=${a%%:*} rest=${a#*:}
    id=${rest%%:*} rest=${rest#*:}
    name=${rest%%:*} pin=${rest#*:}
    printf '%s\n' "$pin" | "$ADMIN" agent add --authority auth --commune "$commune" --id "$id" \
        --name "$name" --role agent --pin-fd 0 >>logs/agents.txt 2>&1 ||
        fail "agent add $id: $(cat logs/agents.txt)"
done
say "agents: Marie Le Goff and Paul Hamon (Rennes), Gwenaëlle Rault and Yvon Bertel (Fougères)"

# --- 2. two kiosks enrolled and provisioned --------------------------------------------
step "2. two kiosks enrolled: kiosk-35238-01 at Rennes' town hall (network), kiosk-35115-01 at Fougères' (none)"
for k in 1:kiosk-35238-01 2:kiosk-35115-01; do
    n=${k%%:*} id=${k#*:}
    "$BORNE" --enroll --state "k$n" --out "usb$n" --authority auth/authority.crt >"logs/enrol-$n.txt" 2>&1 ||
        fail "borne --enroll: $(cat "logs/enrol-$n.txt")"
    "$ADMIN" kiosk enroll "usb$n" --authority auth --server srv --id "$id" -o "usb$n/borne-provision" \
        --today 2027-03-01 $P >>"logs/enrol-$n.txt" 2>&1 || fail "kiosk enroll $id: $(cat "logs/enrol-$n.txt")"
    "$BORNE" --provision "usb$n/borne-provision" --state "k$n" --today $DAY >>"logs/enrol-$n.txt" 2>&1 ||
        fail "borne --provision $id: $(cat "logs/enrol-$n.txt")"
    say "$id: $(grep -m1 'fingerprint' "logs/enrol-$n.txt" | sed 's/;.*//')"
done
rm -f k2/server.conf              # Fougères: no network today, the USB drive carries it all
mkdir -p media/CLE-USB
echo "$OUT/media" >k2/media

# --- 3. the server; the agents open the polls ---------------------------------------
step "3. borne-server on 127.0.0.1; at each town hall two agents open the polls (zero reports)"
serve() { # serve [PORT]
    rm -f srv/port
    "$SRV" serve --dir srv --listen "127.0.0.1:${1:-0}" --port-file srv/port --today $DAY \
        >>logs/server.txt 2>&1 &
    SPID=$!
    i=0
    while [ ! -s srv/port ]; do
        i=$((i + 1)); [ $i -lt 200 ] || fail "borne-server does not start: $(cat logs/server.txt)"
        sleep 0.05
    done
}
serve
PORT=$(cat srv/port)
sed -i "s/^port = .*/port = $PORT/" k1/server.conf
say "borne-server serves on 127.0.0.1:$PORT (kiosk 1 reaches it; kiosk 2 has no network)"
kiosk() { # kiosk N SCRIPT NAME: kiosk N, headless, on SCRIPT; its output in logs/NAME.*
    "$BORNE" --headless --state "k$1" --script "$2" --shots shots --today $DAY \
        >"logs/$3.out" 2>"logs/$3.err" || fail "kiosk $1, $3: $(grep -v XDG_RUNTIME "logs/$3.err")"
}
pin() { printf 'type "%s"\ntap "Valider"\n' "$1"; }
polls() { # polls open|close PIN1 PIN2 K: the agents' script, every campaign
    echo 'key Ctrl+Alt+A'
    pin "$2"
    for c in bp35-2027 pet35-bus pet35-haies; do
        echo "tap \"$1 $c\""
        pin "$3"
        echo 'expect screen report'
        [ "$c" != bp35-2027 ] || echo "shot k$4-$1-report"
        echo 'tap "Retour"'
    done
    echo "shot k$4-agent-$1"
    echo 'tap "Quitter le mode agent"'
}
{ polls open 482913 735184 1; echo 'expect screen welcome'; echo 'shot k1-welcome'; } >open1.txt
{ polls open 316274 859021 2; echo 'expect screen welcome'; echo 'shot k2-welcome'; } >open2.txt
kiosk 1 open1.txt open-1
kiosk 2 open2.txt open-2
say "Rennes: opened by Marie Le Goff and Paul Hamon; Fougères: by Gwenaëlle Rault and Yvon Bertel"

# --- 4. with a display: a kiosk for you ----------------------------------------------
if [ $headless = 0 ]; then
    step "4. kiosk 1 opens in a window: vote or sign as a citizen would; close the window to go on"
    env -u SDL_VIDEODRIVER -u SDL_FRAMEBUFFER_ACCELERATION "$BORNE" --state k1 --window --today $DAY \
        >logs/window.out 2>logs/window.err || say "(the window could not open: $(tail -n 1 logs/window.err))"
else
    step "4. no display (or --headless): the day goes on without a window"
fi

# --- 5. the crowd ----------------------------------------------------------------------
step "5. the crowd: $((2 * CROWD)) citizens at the two kiosks, headless (tools/crowd.py)"
mkdir crowd
python3 "$ROOT/tools/crowd.py" "$ROOT/assets" crowd "$CROWD" 2027 || fail "tools/crowd.py"
for p in 1 2 3; do echo 'sync' >>"crowd/k1-$p.txt"; done
# at Fougères, a voter who cannot see the screen: audio mode (docs/accessibility.md),
# the keypad only, a project chosen, the tracking code heard
{
    echo 'key KP+'                       # audio mode: the screen shows only "Mode audio"
    echo 'expect speech "Mode audio."'
    echo 'key KP2'
    echo 'expect speech "Voter."'
    echo 'key KP5'
    echo 'expect screen identity'
    for c in L E Space B R I S; do echo "key $c"; done
    echo 'key KPEnter'
    for c in C L A I R E; do echo "key $c"; done
    echo 'key KPEnter'
    for d in 0 2 0 5 1 9 6 1; do echo "key KP$d"; done
    echo 'key KPEnter'
    for c in F O U G E R E S; do echo "key $c"; done
    echo 'key KP2'
    echo 'key KP5'
    echo 'expect speech "Commune choisie : Fougères."'
    echo 'key KP5'
    echo 'expect screen projects'
    echo 'expect no text "€"'            # the curtain: nothing of the ballot on screen
    echo 'key KP2'
    echo 'key KP2'
    echo 'key KP5'
    echo 'expect speech "Vous avez choisi"'
    for i in 1 2 3 4 5 6; do echo 'key KP8'; done
    echo 'expect speech "Voir mon choix."'
    echo 'key KP5'
    echo 'expect screen review'
    echo 'key KP2'
    echo 'key KP2'
    echo 'expect speech "Valider mon vote."'
    echo 'key KP5'
    echo 'expect screen receipt'
    echo 'expect speech "Votre code de suivi :"'
    echo 'expect speech "tiret"'
    echo 'key Enter'
    echo 'expect screen welcome'
} >crowd/k2-audio.txt
# kiosk 2 all day long, beside kiosk 1
( for p in 1 2 3; do kiosk 2 "crowd/k2-$p.txt" "crowd-2-$p"; done
  "$BORNE" --headless --state k2 --script crowd/k2-audio.txt --today $DAY \
      >logs/audio-voter.out 2>logs/audio-voter.err ||
      fail "kiosk 2, the audio-mode voter: $(grep -v XDG_RUNTIME logs/audio-voter.err)" ) &
K2PID=$!
kiosk 1 crowd/k1-1.txt crowd-1-1
kill $SPID; wait $SPID 2>/dev/null || true; SPID=0
say "kiosk 1 loses the server (the line is cut): it goes on, casting offline"
kiosk 1 crowd/k1-2.txt crowd-1-2
serve "$PORT"
say "the server is back: kiosk 1 catches up"
kiosk 1 crowd/k1-3.txt crowd-1-3
wait $K2PID || fail "kiosk 2's crowd (logs/crowd-2-*.err)"
for k in 1 2; do
    n=$(cat logs/crowd-$k-*.out | grep -c '^receipt ' || true)
    say "kiosk $k: $n receipts given; refused: $(sed -n "s/^k${k}_under_age //p" crowd/crowd.txt) under 16, $(sed -n "s/^k${k}_outside //p" crowd/crowd.txt) from outside the département, $(sed -n "s/^k${k}_twice //p" crowd/crowd.txt) a second time"
done
say "kiosk 1's links: $(grep -h '^sync' logs/crowd-1-*.out | tr '\n' ';' | sed 's/;$//; s/;/; /g')"
AUDIO_CODE=$(sed -n 's/^receipt //p' logs/audio-voter.out)
say "kiosk 2: a voter who cannot see the screen voted with the keypad in audio mode, the screen curtained; every step heard (the script's expect speech lines), the tracking code $AUDIO_CODE spelled; nothing of what was said written down (AUDIO-A3)"

# --- 6. closing; the network and the USB drive ---------------------------------------
step "6. the agents close both kiosks (closing reports); kiosk 1 sends the rest, kiosk 2 goes on a USB drive"
{ polls close 482913 735184 1; echo 'sync close'; } >close1.txt
{ polls close 316274 859021 2
  echo 'key Ctrl+Alt+A'
  pin 316274
  echo 'tap "Exporter sur clé USB"'
  echo 'expect screen export'
  echo 'tap "CLE-USB"'
  echo 'expect text "Export terminé et relu"'
  echo 'shot k2-export'
  echo 'tap "Retour"'
  echo 'tap "Quitter le mode agent"'; } >close2.txt
kiosk 1 close1.txt close-1
kiosk 2 close2.txt close-2
say "kiosk 1: $(grep '^sync' logs/close-1.out | tail -n 1)"
say "kiosk 2: $(grep '^export' logs/close-2.out)"
USBK=media/CLE-USB/borne-kiosk-35115-01
"$SRV" import --dir srv --today $DAY "$USBK/bundles" >logs/import.txt 2>&1 ||
    fail "borne-server import: $(cat logs/import.txt)"
say "borne-server imported the drive: $(grep -c accepted logs/import.txt) bundles accepted, $(grep -c refused logs/import.txt || true) refused"
"$SRV" backup --dir srv backups --today $DAY >logs/backup.txt 2>&1 || fail "backup: $(cat logs/backup.txt)"
say "$(tail -n 1 logs/backup.txt)"
kill $SPID; wait $SPID 2>/dev/null || true; SPID=0

# --- 7. the tally ------------------------------------------------------------------------
step "7. borne-tally: every signature verified, the closing reports reconciled, counted, published"
mkdir -p reports results
for f in k1/reports/*.txt; do
    b=$(basename "$f" .txt)
    cp "$f" "reports/kiosk-35238-01-$b.txt"; cp "k1/reports/$b.sig" "reports/kiosk-35238-01-$b.sig"
done
for f in "$USBK"/reports/*.txt; do
    b=$(basename "$f" .txt)
    cp "$f" "reports/kiosk-35115-01-$b.txt"; cp "$USBK/reports/$b.sig" "reports/kiosk-35115-01-$b.sig"
done
for c in bp35-2027 pet35-bus pet35-haies; do
    track=
    [ -f "srv/$c.track" ] && track="--track-key srv/$c.track"
    # shellcheck disable=SC2086
    "$TALLY" publish --authority auth/authority.crt --package "srv/$c.bpkg" --enrolled srv/kiosks \
        --reports reports $track -o "results/$c" --server-db srv/server.db >"logs/tally-$c.txt" 2>&1 ||
        fail "borne-tally publish $c: $(cat "logs/tally-$c.txt")"
    "$TALLY" check "results/$c" >"logs/check-$c.txt" 2>&1 ||
        fail "borne-tally check $c: $(cat "logs/check-$c.txt")"
    [ -s "results/$c/index.html" ] || fail "no results page for $c"
    say "$c: published; borne-tally check: $(tail -n 1 "logs/check-$c.txt")"
done

# --- the day in one screen ----------------------------------------------------------------
ballots() { sed -n "s/^kiosk $1 (key id [0-9a-f]*): [0-9]* bundles, \([0-9]*\) ballots.*/\1/p" logs/tally-bp35-2027.txt; }
sigs() { sed -n "s/^kiosk $2 (key id [0-9a-f]*): [0-9]* bundles, \([0-9]*\) signatures.*/\1/p" "logs/tally-$1.txt"; }
want() { sed -n "s/^$1 //p" crowd/crowd.txt; }
# what the crowd did is what was counted (a window's visitor may add to it)
for k in 1:kiosk-35238-01 2:kiosk-35115-01; do
    n=${k%%:*} id=${k#*:}
    got=$(ballots "$id") exp=$(want "k${n}_votes")
    [ "$n" = 2 ] && exp=$((exp + 1)) # and the audio-mode voter
    [ "$got" = "$exp" ] || [ $headless = 0 ] || fail "$id: $exp votes cast, $got counted"
    for c in pet35-bus pet35-haies; do
        got=$(sigs "$c" "$id") exp=$(want "k${n}_signatures_$c")
        [ "$got" = "$exp" ] || [ $headless = 0 ] || fail "$id: $exp signatures of $c, $got counted"
    done
done
grep -q "closing report: agrees" logs/tally-bp35-2027.txt || fail "no closing report agrees"
END=$(date +%s%N)
SECS=$(( (END - START) / 1000000 ))
echo
echo "==================== the election day of $DAY, in one screen ===================="
python3 - results "$OUT" <<'PY'
import json, sys, os
res = sys.argv[1]
b = json.load(open(os.path.join(res, "bp35-2027/results.json"), encoding="utf-8"))
t = b["turnout"]
print("Budget participatif 2027: %d ballots counted, %s (%s), every one verified; status %s"
      % (b["ballots"]["counted"] if isinstance(b["ballots"], dict) else b["ballots"],
         "%d participants" % t["participants"] if "participants" in t else "", t["source"], b["status"]))
for terr in b["territories"]:
    won = [p for p in terr["projects"] if p["selected"]]
    print("  %-36s %3d ballot%s, %d projects funded (%d of %d EUR)%s"
          % (terr["name"]["fr"], terr["ballots"], "s" if terr["ballots"] != 1 else " ", len(won),
             terr["cost_of_winners"], terr["envelope"],
             ": " + won[0]["title"]["fr"] + ", ..." if won else ""))
for pid in ("pet35-bus", "pet35-haies"):
    p = json.load(open(os.path.join(res, pid, "results.json"), encoding="utf-8"))
    print("Petition %-11s %3d signatures from %2d cantons: threshold %d from %d cantons %s"
          % (pid + ":", p["signatures"]["valid"], p["cantons_reached"], p["campaign"]["threshold"],
             p["campaign"]["min_cantons"], "REACHED" if p["reached"] else "not reached"))
PY
for k in 1 2; do
    echo "kiosk $k refused: $(want k${k}_under_age) under 16, $(want k${k}_outside) from outside Ille-et-Vilaine, $(want k${k}_twice) a second time"
done
echo "kiosk 1 (Rennes): cut from the server for a third of the day, cast offline, caught up at the close"
echo "kiosk 2 (Fougères): no network; its USB drive imported by borne-server; one voter in audio mode"
echo "closing reports: both kiosks' agree with the ballots received; borne-tally check agrees (3 campaigns)"
echo "results pages: $OUT/results/bp35-2027/index.html (and pet35-bus/, pet35-haies/)"
echo "reports:       $OUT/reports/ (zero and closing, signed by the kiosks)"
echo "screenshots:   $OUT/shots/ ($(ls shots | wc -l) screens of both kiosks)"
echo "took $((SECS / 1000)).$(printf '%03d' $((SECS % 1000))) s"
