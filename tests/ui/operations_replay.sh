#!/bin/sh
# operations_replay.sh - runs docs/operations.md as written: its ```kiosk
# blocks (French) in order on a kiosk provisioned from a bundle, each block
# one run of the kiosk (a restart between two), then its ```kiosk-en blocks
# (English) on a fresh one; an HTML comment "<!-- replay: sh: CMD -->" runs
# CMD in the work folder before the next block (what the agent does outside
# the screen: a printer without paper, a USB drive plugged in).
# Usage: operations_replay.sh DOC BORNE_ADMIN BORNE BORNE_SERVER BORNE_TALLY SOURCE_DIR
set -eu
HERE=$(cd "$(dirname "$0")" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
DOC=$(abs "$1")
ADMIN=$(abs "$2")
BORNE=$(abs "$3")
SRC=$(cd "$6" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/ops.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
DAY=2027-03-02
cd "$T"
printf 'une phrase de passe\n' >pass
P="--passphrase-file pass"
"$ADMIN" authority init auth --name Autorite-35 --from 2026-12-01 --until 2031-12-31 $P >/dev/null
"$ADMIN" campaign build "$SRC/campaign.json" -o bp.json >/dev/null
"$ADMIN" campaign sign bp.json --authority auth -o bp.bpkg $P >/dev/null
"$ADMIN" server init srv --authority auth --host localhost --port 9 $P >/dev/null
printf '482913\n' | "$ADMIN" agent add --authority auth --commune 35238 --id marie \
    --name "Marie Le Goff" --role agent --pin-fd 0 >/dev/null
printf '735184\n' | "$ADMIN" agent add --authority auth --commune 35238 --id paul \
    --name "Paul Hamon" --role agent --pin-fd 0 >/dev/null
printf '590317\n' | "$ADMIN" agent add --authority auth --commune 35238 --id yann \
    --name "Yann Morvan" --role technician --pin-fd 0 >/dev/null
"$BORNE" --enroll --state k0 --out usb0 --authority auth/authority.crt >/dev/null
"$ADMIN" kiosk enroll usb0 --authority auth --server srv --id kiosk-35238-01 -o b \
    --today 2027-02-20 $P >/dev/null
cp -r k0 k.clean

# a supervised campaign (polls.eligibility "supervised") for the desk's blocks
mkdir ssrc
python3 "$HERE/supervise.py" "$SRC" ssrc/campaign.json
"$ADMIN" campaign build ssrc/campaign.json -o sbp.json >/dev/null
"$ADMIN" campaign sign sbp.json --authority auth -o sbp.bpkg $P >/dev/null

# replay FENCE [supervised]: every block of that fence, in order, on a fresh kiosk
replay() {
    rm -rf k && cp -r k.clean k
    "$BORNE" --provision b --state k --today $DAY >/dev/null
    rm -f k/server.conf
    echo printer.bin >k/printer
    if [ "${2:-}" = supervised ]; then
        cp sbp.bpkg k/bp35-essai.bpkg
        python3 -c "import sqlite3; d = sqlite3.connect('k/kiosk.db'); d.execute('UPDATE campaign SET package = ? WHERE id = ?', (open('sbp.bpkg', 'rb').read(), 'bp35-essai')); d.commit()"
        printf 'key Ctrl+Alt+A\ntype "482913"\ntap "Valider"\ntap "open bp35-essai"\ntype "735184"\ntap "Valider"\ntap "Retour"\ntap "Quitter le mode agent"\n' >open.txt
        "$BORNE" --headless --state k --script open.txt --shots . --today $DAY >/dev/null 2>err ||
            fail "opening the supervised campaign: $(cat err)"
    fi
    # the plan: "sh CMD" and "run FILE" lines, in the document's order; the
    # commands before a block of the other language are that block's
    awk -v fence="$1" -v dir="$T" '
        /^<!-- replay: sh: / { sub(/^<!-- replay: sh: /, ""); sub(/ -->$/, "");
                               pre[++np] = $0; next }
        /^```kiosk/ { inb = 1; mine = ($0 == "```" fence);
                      if (mine) { b++; f = sprintf("%s/block%03d.txt", dir, b);
                                  for (i = 1; i <= np; i++) print "sh " pre[i] > (dir "/plan");
                                  print "run " f > (dir "/plan"); printf "" > f }
                      np = 0; next }
        inb && $0 == "```" { inb = 0; next }
        inb && mine { print > f }
    ' "$DOC"
    [ -s plan ] || fail "docs/operations.md has no \`\`\`$1 block"
    i=0
    while IFS= read -r line; do
        case $line in
        "sh "*) sh -c "${line#sh }" || fail "docs/operations.md: $line" ;;
        "run "*)
            i=$((i + 1))
            "$BORNE" --headless --state k --script "${line#run }" --shots . --today $DAY \
                >out 2>err </dev/null || fail "docs/operations.md, block $i of \`\`\`$1: $(cat err)" ;;
        esac
    done <plan
    echo "$1: $i blocks run as written"
    rm -f block*.txt plan
}
replay kiosk
replay kiosk-en
# the desk's blocks: the same kiosk, its package supervised (signed by the
# same authority), opened by the two agents first
replay kiosk-desk supervised
