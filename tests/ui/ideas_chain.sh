#!/bin/sh
# ideas_chain.sh - a call for ideas end to end (issue 17), with the real
# programs: a citizen proposes an idea at a kiosk (borne, headless, by
# touch) linked to a borne-server; the idea is uploaded; at home, the
# receipt page says "received"; the participation team moderates it
# (borne-server moderate: a duplicate merged into it, accepted), the
# receipt now says it was kept; another idea is refused with a reason and
# its receipt says why; borne-server publish-ideas writes the accepted ideas
# (no contact, no identity) and projects.csv; the services fill in a cost
# in the spreadsheet, add it to their own projects, and borne-admin campaign
# build makes the next vote's package, whose project keeps the references
# of the ideas it came from.
# Usage: ideas_chain.sh BORNE BORNE_SERVER BORNE_ADMIN SOURCE_ROOT
set -eu
BORNE=$1
SRV=$2
ADMIN=$3
ROOT=$(cd "$4" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/ideas_chain.XXXXXX")
PID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
. "$ROOT/tests/server/lib.sh"
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0

D=$T/srv
"$SRV" init-demo "$D" >/dev/null
start_server "$D"
C="curl -sS --max-time 30 --cacert $D/authority.crt"
"$BORNE" --init-demo "$T/k1" --demo-server "$D" --demo-kiosk 1 --demo-port "$PORT" >/dev/null
"$BORNE" --open-polls idees35-demo --state "$T/k1" >/dev/null

# idea FILE LAST THEME TITLE TEXT: a person of Rennes proposes an idea, a
# contact given; then the upload
idea() {
    cat >"$1" <<EOF
expect screen welcome
tap "Proposer une idée"
tap "Proposer une idée"
type "$2"
tap "Suivant"
type "Anne"
tap "Suivant"
type "12041987"
tap "Suivant"
type "ren"
tap "Rennes"
tap "Continuer"
expect screen idea
tap "$3"
type "$4"
tap "Suivant"
type "$5"
tap "Suivant"
type "Square de la Motte"
tap "Suivant"
type "anne.kerjean@exemple.fr"
tap "Suivant"
tap "Envoyer mon idée"
expect screen receipt
tap "Terminer"
sync close
EOF
}
run() {
    OUT=$("$BORNE" --headless --state "$T/k1" --script "$1" --shots "$T/shots" \
          2>>"$T/borne.err") || { cat "$T/borne.err" >&2; fail "$1 failed: $OUT"; }
    echo "$(basename "$1"): $(echo "$OUT" | tr '\n' ' ')"
}
status() { # status CODE: the receipt's JSON status
    $C "$URL/v1/receipts/$1" | sed -n 's/^{"status":"\([^"]*\)".*/\1/p'
}

idea "$T/a.txt" "Kerjean" "Nature et environnement" "Un verger partagé au square" \
    "Planter vingt arbres fruitiers.\nLes voisins les entretiennent."
run "$T/a.txt"
CODE_A=$(echo "$OUT" | sed -n 's/^receipt //p')
echo "$OUT" | grep -q '^sync bundles=[1-9][0-9]* items=1 left=0 online=1' ||
    fail "the idea was not uploaded: $OUT"
idea "$T/b.txt" "Morvan" "Nature et environnement" "Des arbres fruitiers au square" \
    "Un verger pour le quartier."
run "$T/b.txt"
CODE_B=$(echo "$OUT" | sed -n 's/^receipt //p')
idea "$T/c.txt" "Le Bihan" "Se déplacer" "Une autoroute sous la Vilaine" \
    "Un tunnel à quatre voies."
run "$T/c.txt"
CODE_C=$(echo "$OUT" | sed -n 's/^receipt //p')
"$BORNE" --check-state "$T/k1" | grep -q '^campaign idees35-demo ideas 3 verified 3$' ||
    fail "the kiosk does not hold the three ideas"

# at home: received
[ "$(status "$CODE_A")" = received ] || fail "receipt A: $(status "$CODE_A")"
$C "$URL/receipts/$CODE_A" | grep -q "Elle a été reçue" || fail "receipt page A: not 'reçue'"

# the participation team
"$SRV" moderate --dir "$D" list >"$T/list" || fail "moderate list"
cat "$T/list"
grep -q '3 idea(s) pending' "$T/list" || fail "moderate list: not 3 pending"
REF_A=$(grep 'Un verger partagé au square' "$T/list" | cut -c1-12)
REF_B=$(grep 'Des arbres fruitiers au square' "$T/list" | cut -c1-12)
REF_C=$(grep 'Une autoroute sous la Vilaine' "$T/list" | cut -c1-12)
"$SRV" moderate --dir "$D" show "$REF_A" >"$T/show" || fail "moderate show"
grep -q 'signature verified' "$T/show" || fail "show: the signature"
! grep -q 'anne.kerjean' "$T/show" || fail "show: the contact in clear (IDEA-I1)"
"$SRV" moderate --dir "$D" merge "$REF_B" --into "$REF_A" --as "Marie Le Goff" \
    --comment "Même idée que celle d'une voisine : nous les étudions ensemble." ||
    fail "moderate merge"
"$SRV" moderate --dir "$D" accept "$REF_A" --as "Marie Le Goff" || fail "moderate accept"
"$SRV" moderate --dir "$D" reject "$REF_C" --reason competence --as "Marie Le Goff" \
    --comment "Les tunnels relèvent de l'État." || fail "moderate reject"
"$SRV" moderate --dir "$D" log >"$T/log2" || fail "moderate log"
grep -q 'by Marie Le Goff: accepted' "$T/log2" || fail "the log has no moderator"
grep -q 'chain verified' "$T/log2" || fail "the log's chain"

# at home, later: kept, grouped, not kept and why
[ "$(status "$CODE_A")" = accepted ] || fail "receipt A after: $(status "$CODE_A")"
$C "$URL/receipts/$CODE_A" | grep -q "Elle a été retenue" || fail "receipt page A: not 'retenue'"
$C "$URL/v1/receipts/$CODE_B" | grep -q '"status":"merged".*"merged_status":"accepted"' ||
    fail "receipt B: not merged into an accepted idea"
$C "$URL/v1/receipts/$CODE_C" | grep -q '"status":"not kept".*"reason":"competence"' ||
    fail "receipt C: not refused with its reason"
$C "$URL/receipts/$CODE_C?lang=en" | grep -q "Outside the Département&#39;s powers\|Outside the Département's powers" ||
    fail "receipt page C: the reason's words"

# the data controller answers people: their contacts, opened with its key only
mkdir -p "$T/export"
"$SRV" export --dir "$D" --campaign idees35-demo "$T/export" >/dev/null || fail "borne-server export"
cp "$ROOT/assets/campaigns/demo-controller.key" "$T/controller.key"
chmod 600 "$T/controller.key"
"$ADMIN" ideas contacts "$T/export" --controller "$T/controller.key" \
    >"$T/contacts" 2>"$T/contacts.err" || { cat "$T/contacts.err"; fail "borne-admin ideas contacts"; }
[ "$(grep -c 'anne.kerjean@exemple.fr' "$T/contacts")" = 3 ] || fail "contacts: not the three"
grep -q "^$REF_A	anne.kerjean@exemple.fr\$" "$T/contacts" || fail "contacts: idea $REF_A"
! grep -rq 'anne.kerjean' "$T/export" || fail "a contact in clear in the bundles"

# publication, then the next vote
"$SRV" publish-ideas --dir "$D" --campaign idees35-demo "$T/pub" || fail "publish-ideas"
for f in ideas.json ideas.csv index.html territory-rennes.html theme-nature.html projects.csv; do
    [ -s "$T/pub/$f" ] || fail "publish-ideas: no $f"
    ! grep -q 'anne.kerjean\|Kerjean\|Morvan' "$T/pub/$f" || fail "$f: a contact or a name"
    ! grep -q 'autoroute' "$T/pub/$f" || fail "$f: a refused idea"
done
grep -q "Un verger partagé au square" "$T/pub/index.html" || fail "index.html: the idea"
grep -q "i-$REF_A;rennes;;nature;" "$T/pub/projects.csv" || fail "projects.csv: the line"
# the services: a cost for the idea's line, beside their own projects
{
    head -n 1 "$T/pub/projects.csv" | tr -d '\r'
    tail -n +2 "$T/pub/projects.csv" | tr -d '\r' | sed 's/^\(i-[0-9a-f]*;rennes;\);/\145 000 €;/'
    tail -n +2 "$ROOT/assets/campaigns/src/projets.csv" | tr -d '\r' |
        awk -F';' '{print $1";"$2";"$3";;"$4";"$6";"$8";"$5";"$7";"$9";"}'
} >"$T/projects.csv"
sed -e 's|"id": "bp35-demo"|"id": "bp35-2028"|' \
    -e "s|\"projets.csv\"|\"$T/projects.csv\"|" \
    -e "s|\"\\.\\./\\.\\./data/|\"$ROOT/assets/data/|" \
    "$ROOT/assets/campaigns/src/demo-budget.json" >"$T/vote.json"
"$ADMIN" campaign build "$T/vote.json" -o "$T/vote-pkg.json" >"$T/build.out" 2>&1 ||
    { cat "$T/build.out"; fail "borne-admin campaign build"; }
tr -d ' \n' <"$T/vote-pkg.json" | grep -q "\"id\":\"i-$REF_A\",.*\"ideas\":\[\"$REF_A\",\"$REF_B\"\]" ||
    fail "the vote's project does not keep the ideas it came from"
stop_server
PID=0
echo "ideas chain: proposed at a kiosk, followed at home (received, accepted, merged, not kept:" \
     "competence), moderated with a logged name, published, a project of the next vote from" \
     "ideas $REF_A and $REF_B"
