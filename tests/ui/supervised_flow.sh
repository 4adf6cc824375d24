#!/bin/sh
# supervised_flow.sh - a supervised vote (polls.eligibility "supervised",
# CAST-C8): an agent at the desk checks identities and hands single-use
# voting codes; citizens vote at the kiosk with their code, once, that day.
# Refusals, each with its message: an identity typed at the kiosk is not
# asked for at all; the same person registered twice; a mistyped digit; a
# code used twice; a code of the day before; then the close, the export, the
# import and the tally, which notes the code given but not used.
# Usage: supervised_flow.sh BORNE_ADMIN BORNE BORNE_SERVER BORNE_TALLY SOURCE_DIR [SHOTS_DIR]
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
ADMIN=$(abs "$1")
BORNE=$(abs "$2")
SRV=$(abs "$3")
TALLY=$(abs "$4")
SRC=$(cd "$5" && pwd)
KEEP=${6:-}
[ -z "$KEEP" ] || KEEP=$(mkdir -p "$KEEP" && cd "$KEEP" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/supervised.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
DAY=2027-03-02
cd "$T"
printf 'une phrase de passe\n' >pass
P="--passphrase-file pass"
mkdir src
python3 "$HERE/supervise.py" "$SRC" src/campaign.json
"$ADMIN" authority init auth --name Autorite-35 --from 2026-12-01 --until 2031-12-31 $P >/dev/null
"$ADMIN" campaign build src/campaign.json -o bp.json >/dev/null
"$ADMIN" campaign show bp.json | grep -q "single-use voting codes" || fail "campaign show"
"$ADMIN" campaign sign bp.json --authority auth -o bp.bpkg $P >/dev/null
"$ADMIN" server init srv --authority auth --host localhost --port 9 $P >/dev/null
printf '482913\n' | "$ADMIN" agent add --authority auth --commune 35238 --id marie \
    --name "Marie Le Goff" --role agent --pin-fd 0 >/dev/null
printf '735184\n' | "$ADMIN" agent add --authority auth --commune 35238 --id paul \
    --name "Paul Hamon" --role agent --pin-fd 0 >/dev/null
"$BORNE" --enroll --state k --out usb0 --authority auth/authority.crt >/dev/null
"$ADMIN" kiosk enroll usb0 --authority auth --server srv --id kiosk-35238-01 -o b \
    --today 2027-02-20 $P >/dev/null
"$BORNE" --provision b --state k --today $DAY >/dev/null
rm -f k/server.conf
mkdir -p shots media/CLE-USB
echo "$T/media" >k/media

run() { # run SCRIPT [DAY]
    OUT=$("$BORNE" --headless --state k --script "$1" --shots shots --today "${2:-$DAY}" \
        ${SHOT_WIDTH:+--shot-width $SHOT_WIDTH} 2>err) || fail "$1: $(cat err) $OUT"
}
pin() { printf 'type "%s"\ntap "Valider"\n' "$1"; }
person() { # person LAST FIRST BIRTH: the desk's identity screens
    printf 'type "%s"\ntap "Suivant"\ntype "%s"\ntap "Suivant"\ntype "%s"\ntap "Suivant"\n' \
        "$1" "$2" "$3"
    printf 'type "ren"\ntap "Rennes"\ntap "Continuer"\n'
}

# --- opening, then the desk gives two codes; the same person twice: refused -----------
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "open bp35-essai"'
    pin 735184
    echo 'tap "Retour"'
    echo 'shot desk-home'
    echo 'tap "desk bp35-essai"'
    echo 'expect screen identity'
    person Kervella Anne 12041987
    echo 'expect screen deskcode'
    echo 'expect text "Code de vote à remettre"'
    echo 'shot desk-code'
    echo 'tap "Terminé"'
    echo 'expect screen agent'
    echo 'expect no text "KERVELLA"'
    echo 'tap "desk bp35-essai"'
    person Kervella Anne 12041987
    echo 'expect screen message'
    echo 'expect text "Vous avez déjà participé"'
    echo 'key Enter'
    echo 'expect screen agent'
    echo 'tap "desk bp35-essai"'
    person Quemener Yves 03071960
    echo 'expect screen deskcode'
    echo 'tap "Terminé"'
    echo 'tap "Quitter le mode agent"'
    echo 'expect screen welcome'
} >s1.txt
run s1.txt
C1=$(echo "$OUT" | sed -n 's/^voting-code //p' | sed -n 1p)
C2=$(echo "$OUT" | sed -n 's/^voting-code //p' | sed -n 2p)
[ -n "$C1" ] && [ -n "$C2" ] && [ "$C1" != "$C2" ] || fail "two codes expected: $OUT"
# a mistyped digit: the last one changed
last=$(echo "$C1" | cut -c14)
BAD=$(echo "$C1" | cut -c1-13)$(( (last + 1) % 10 ))

# --- the citizen: a typo, then the code; the same code again: refused -----------------
vote() { # vote CODE: the code, two projects, the receipt
    echo "tap \"Touchez l'écran pour commencer\""
    echo 'expect screen vcode'
    echo "type \"$(echo "$1" | tr -d ' ')\""
    echo 'tap "Valider"'
}
{
    echo "tap \"Touchez l'écran pour commencer\""
    echo 'expect screen vcode'
    echo 'expect no text "Nom"'
    echo "type \"$(echo "$BAD" | tr -d ' ')\""
    echo 'tap "Valider"'
    echo 'expect text "Un chiffre est mal tapé : vérifiez le code."'
    echo 'shot vcode-typo'
    for i in 1 2 3 4 5 6 7 8 9 10 11 12; do echo 'key Backspace'; done
    echo "type \"$(echo "$C1" | tr -d ' ')\""
    echo 'shot vcode'
    echo 'tap "Valider"'
    echo 'expect screen projects'
    echo 'tap "Choisir : Jardin partagé du Blosne"'
    echo 'tap "Choisir : Piste cyclable Betton - Saint-Grégoire"'
    echo 'tap "Voir mon choix"'
    echo 'tap "Valider mon vote"'
    echo 'expect screen receipt'
    echo 'tap "Terminer"'
    vote "$C1"
    echo 'expect text "Ce code a déjà servi : on ne vote qu'"'"'une fois."'
} >s2.txt
run s2.txt
[ "$(echo "$OUT" | grep -c '^receipt ')" = 1 ] || fail "one vote expected: $OUT"
# the day after: the second code was for the day it was given
{
    vote "$C2"
    echo 'expect text "Ce code était valable le jour où il a été donné."'
} >s3.txt
run s3.txt 2027-03-03
"$BORNE" --check-state k >cs.out 2>&1 && grep -q "campaign bp35-essai registered 2 ballots 1" cs.out ||
    fail "counts: $(cat cs.out)"

# --- closing, export, import, tally ------------------------------------------------------
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "close bp35-essai"'
    pin 735184
    echo 'expect text "register: 2"'
    echo 'expect text "ballots: 1"'
    echo 'tap "Retour"'
    echo 'tap "Exporter sur clé USB"'
    echo 'tap "CLE-USB"'
    echo 'expect text "Export terminé et relu"'
} >s4.txt
run s4.txt
D=media/CLE-USB/borne-kiosk-35238-01
"$SRV" import --dir srv --today $DAY $D/bundles >imp.out 2>&1 || fail "import: $(cat imp.out)"
"$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --reports $D/reports >tally.out 2>&1 ||
    fail "tally: $(cat tally.out)"
grep -q "NOTE kiosk kiosk-35238-01: 1 voting codes given at the desk were not used" tally.out &&
    grep -q "1 ballots, 2 register entries; closing report: agrees" tally.out ||
    fail "tally: $(cat tally.out)"
[ -z "$KEEP" ] || cp shots/desk-*.png shots/vcode*.png "$KEEP"/
echo "supervised flow: ok"
