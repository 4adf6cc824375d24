#!/bin/sh
# ballot_kinds.sh - a cumulative vote and a ranking vote, end to end (issue
# 15, section 4): borne-admin builds and signs the demo campaign with
# rule.ballot "cumulative" (10 points, at most 4 a project) or "ordinal"
# (rank up to 3), a kiosk is enrolled and provisioned, citizens vote at it
# (points given and taken back, a refusal explained; projects ranked), an
# agent exports to a USB drive, borne-tally verifies and counts it and
# writes the Pabulib file with the right vote_type, which `borne-tally
# pabulib --check` recounts to the same winners and `borne-tally check`
# accepts.
# Usage: ballot_kinds.sh BORNE_ADMIN BORNE BORNE_TALLY ASSETS
set -eu
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
ADMIN=$(abs "$1")
BORNE=$(abs "$2")
TALLY=$(abs "$3")
ASSETS=$(cd "$4" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/kinds.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; [ -n "${KEEP_T:-}" ] || rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
DAY=2027-03-15
cd "$T"
printf 'une phrase de passe\n' >pass
P="--passphrase-file pass"
# campaign KIND RULE_JSON: an authority of its own (one budget vote a kiosk),
# an agent, and the demo campaign's source with that rule, built and signed
campaign() {
    rm -rf auth srv
    "$ADMIN" authority init auth --name Autorite-35 --from 2026-12-01 --until 2031-12-31 $P \
        >/dev/null
    printf '482913\n' | "$ADMIN" agent add --authority auth --commune 35238 --id marie \
        --name "Marie Le Goff" --role agent --pin-fd 0 >/dev/null
    "$ADMIN" server init srv --authority auth --host localhost --port 9 $P >/dev/null
    python3 - "$ASSETS/campaigns/src/demo-budget.json" "$1" "$2" <<'EOF'
import json, os, sys
src, kind, rule = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
c = json.load(open(src))
c["rule"] = rule
c["id"] = "bp35-" + kind[:6]
base = os.path.dirname(src)
c["sources"] = {k: os.path.normpath(os.path.join(base, v)) for k, v in c["sources"].items()}
json.dump(c, open(kind + ".src.json", "w"), ensure_ascii=False, indent=1)
EOF
    "$ADMIN" campaign build "$1.src.json" -o "$1.json" >/dev/null
    "$ADMIN" campaign sign "$1.json" --authority auth -o "$1.bpkg" $P >/dev/null
}

# kiosk KIND: a kiosk of its own for the campaign, polls open, a drive
kiosk() {
    rm -rf k usb0 b media
    "$BORNE" --enroll --state k --out usb0 --authority auth/authority.crt >/dev/null
    "$ADMIN" kiosk enroll usb0 --authority auth --server srv --id kiosk-35238-01 -o b \
        --today 2027-03-01 $P >/dev/null
    "$BORNE" --provision b --state k --today $DAY >/dev/null
    rm -f k/server.conf
    "$BORNE" --open-polls "bp35-$(echo "$1" | cut -c1-6)" --state k >/dev/null
    mkdir -p media/CLE-USB
    echo "$T/media" >k/media
}

run() { # run SCRIPT: the kiosk, headless; its output in OUT
    OUT=$("$BORNE" --headless --state k --script "$1" --today $DAY 2>err) ||
        fail "$1: $(cat err) $OUT"
}
identity() { # identity LAST BIRTH: the identity steps, Rennes
    printf 'tap "Touchez l'"'"'écran pour commencer"\ntype "%s"\ntap "Suivant"\ntype "Anne"\n' "$1"
    printf 'tap "Suivant"\ntype "%s"\ntap "Suivant"\ntype "ren"\ntap "Rennes"\ntap "Continuer"\n' "$2"
    printf 'expect screen projects\n'
}
export_drive() {
    printf 'key Ctrl+Alt+A\ntype "482913"\ntap "Valider"\ntap "Exporter sur clé USB"\n'
    printf 'tap "CLE-USB"\nexpect text "Export terminé et relu"\n'
}
tally() { # tally KIND: publish from the drive, then the checks of an observer
    D=media/CLE-USB/borne-kiosk-35238-01
    "$TALLY" publish --authority auth/authority.crt --package "$1.bpkg" --provisional \
        -o "out-$1" $D/bundles >"tally-$1.out" 2>&1 || fail "tally $1: $(cat "tally-$1.out")"
    "$TALLY" check "out-$1" >"check-$1.out" 2>&1 || fail "check $1: $(cat "check-$1.out")"
    "$TALLY" pabulib "out-$1/ballots-rennes.pb" --check >"pb-$1.out" 2>&1 ||
        fail "pabulib $1: $(cat "pb-$1.out")"
}

# --- cumulative: 10 points, at most 4 to a project, 1 to 5 projects -----------------
campaign cumulative '{"ballot": "cumulative", "points": 10, "per_project": 4, "min": 1, "max": 5, "knapsack": false, "min_spend_percent": 0}'
kiosk cumulative
{
    identity MORVAN 30091952
    echo 'expect text "Points donnés : 0 sur 10"'
    for n in 0 1 2 3; do echo "tap \"Un point de plus : Jardin partagé du Blosne ($n)\""; done
    echo 'tap "Un point de plus : Jardin partagé du Blosne (4)"'   # a fifth: refused
    echo 'expect text "« Jardin partagé du Blosne » a déjà 4 points. C'"'"'est le maximum pour un projet."'
    for n in 0 1 2 3; do echo "tap \"Un point de plus : Repair café itinérant ($n)\""; done
    echo 'tap "Un point de plus : Piste cyclable Betton - Saint-Grégoire (0)"'
    echo 'tap "Un point de plus : Piste cyclable Betton - Saint-Grégoire (1)"'
    echo 'tap "Un point de plus : Aire de jeux inclusive à Bruz (0)"'  # an eleventh: refused
    echo 'expect text "Vous avez donné tous vos points (10)."'
    echo 'tap "Un point de moins : Piste cyclable Betton - Saint-Grégoire (2)"'
    echo 'expect text "Points donnés : 9 sur 10"'
    echo 'tap "Voir mon choix"'
    echo 'expect text "4 points"'
    echo 'expect text "1 point"'
    echo 'expect text "9 points"'
    echo 'tap "Valider mon vote"'
    echo 'expect screen receipt'
    echo 'tap "Terminer"'
    identity HAMON 14031990
    for n in 0 1 2; do echo "tap \"Un point de plus : Aire de jeux inclusive à Bruz ($n)\""; done
    echo 'tap "Voir mon choix"'
    echo 'tap "Valider mon vote"'
    echo 'expect screen receipt'
    echo 'tap "Terminer"'
    export_drive
} >c.txt
# in audio mode first (nothing cast): the points said as they change
{
    echo 'key KP+'
    echo 'key Enter'
    for c in M O R V A N; do echo "key $c"; done
    echo 'key Enter'
    for c in Y A N N; do echo "key $c"; done
    echo 'key Enter'
    for d in 3 0 0 9 1 9 5 2; do echo "key KP$d"; done
    echo 'key KPEnter'
    for c in R E N N E S; do echo "key $c"; done
    echo 'key KP5'
    echo 'expect screen projects'
    echo 'expect speech "Vous avez 10 points à donner, 4 au plus à un projet."'
    echo 'expect no text "Jardin"'
    echo 'key KP2'
    echo 'key KP2'
    echo 'expect speech "Un point de plus : Jardin partagé du Blosne (0)"'
    echo 'key KP5'
    echo 'expect speech "Vous avez choisi : Jardin partagé du Blosne. Points donnés : 1 sur 10."'
    echo 'key KP5'
    echo 'expect speech "Jardin partagé du Blosne : 2 points. Points donnés : 2 sur 10"'
    echo 'wait 91000'
    echo 'expect screen welcome'
} >ca.txt
run ca.txt
run c.txt
echo "$OUT" | grep -q "^export .*items=4" || fail "cumulative export: $OUT"
tally cumulative
grep -q "^vote_type;cumulative$" out-cumulative/ballots-rennes.pb &&
    grep -q "^max_sum_points;10$" out-cumulative/ballots-rennes.pb &&
    grep -q "^voter_id;vote;points$" out-cumulative/ballots-rennes.pb ||
    fail "the Pabulib file is not a cumulative one: $(cat out-cumulative/ballots-rennes.pb)"
# votes (ballots naming it) and score (points): Jardin 1 and 4, Réparation 1 and 4,
# Piste 1 and 1, Aire 1 and 3
for pv in "ren-jardin;28500;1;4" "ren-reparation;36000;1;4" "ren-velo;148000;1;1" \
          "ren-aire-jeux;95000;1;3"; do
    grep -q "^$pv;" out-cumulative/ballots-rennes.pb ||
        fail "points of $pv: $(sed -n '/PROJECTS/,/VOTES/p' out-cumulative/ballots-rennes.pb)"
done
grep -q "^[0-9]*;ren-jardin,ren-reparation,ren-velo;4,4,1$" out-cumulative/ballots-rennes.pb ||
    fail "the points of the first ballot: $(sed -n '/VOTES/,$p' out-cumulative/ballots-rennes.pb)"
grep -q "^ok " pb-cumulative.out || fail "pabulib --check: $(cat pb-cumulative.out)"

# --- ordinal: rank up to 3 projects -------------------------------------------------
campaign ordinal '{"ballot": "ordinal", "min": 1, "max": 3, "knapsack": false, "min_spend_percent": 0}'
kiosk ordinal
{
    identity MORVAN 30091952
    echo 'expect text "Classez jusqu'"'"'à 3 projets : d'"'"'abord celui que vous préférez."'
    echo 'tap "Classer : Repair café itinérant"'
    echo 'tap "Classer : Jardin partagé du Blosne"'
    echo 'tap "Classer : Aire de jeux inclusive à Bruz"'
    echo 'expect text "✓ 1er choix"'
    echo 'expect text "✓ 3e choix"'
    echo 'tap "Classer : Piste cyclable Betton - Saint-Grégoire"'   # a fourth: refused
    echo 'expect text "C'"'"'est le maximum."'
    echo 'tap "Voir mon choix"'
    echo 'expect text "1. Repair café itinérant"'
    echo 'expect text "3. Aire de jeux inclusive à Bruz"'
    echo 'tap "Valider mon vote"'
    echo 'expect screen receipt'
    echo 'tap "Terminer"'
    identity HAMON 14031990
    echo 'tap "Classer : Jardin partagé du Blosne"'
    echo 'tap "Voir mon choix"'
    echo 'tap "Valider mon vote"'
    echo 'tap "Terminer"'
    export_drive
} >o.txt
run o.txt
tally ordinal
grep -q "^vote_type;ordinal$" out-ordinal/ballots-rennes.pb &&
    grep -q "^max_length;3$" out-ordinal/ballots-rennes.pb ||
    fail "the Pabulib file is not an ordinal one: $(cat out-ordinal/ballots-rennes.pb)"
# the ranking kept in order, most preferred first; scores L - k (3, 2, 1)
grep -q ";ren-reparation,ren-jardin,ren-aire-jeux$" out-ordinal/ballots-rennes.pb ||
    fail "the ranking's order: $(sed -n '/VOTES/,$p' out-ordinal/ballots-rennes.pb)"
for pv in "ren-jardin;28500;2;5" "ren-reparation;36000;1;3" "ren-aire-jeux;95000;1;1"; do
    grep -q "^$pv;" out-ordinal/ballots-rennes.pb ||
        fail "score of $pv: $(sed -n '/PROJECTS/,/VOTES/p' out-ordinal/ballots-rennes.pb)"
done
grep -q "^ok " pb-ordinal.out || fail "pabulib --check: $(cat pb-ordinal.out)"
echo "ok: cumulative and ordinal votes cast at the kiosk, exported, verified, counted, published as Pabulib and recounted"
