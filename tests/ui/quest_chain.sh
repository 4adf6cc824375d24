#!/bin/sh
# quest_chain.sh - a consultation end to end (issue 17), with the real
# programs: 25 people answer the demo questionnaire at a kiosk (borne,
# headless, by touch) linked to a borne-server, 11 of Rennes, 11 of
# Saint-Malo, 3 of Fougères, every type of question, a free text now and
# then; the same person cannot answer twice; the answers go up in batches;
# the server exports its bundles; borne-tally lists the free texts for the
# moderation, the team's decisions go back in, and borne-tally publishes:
# the figures overall (bar charts, Borda points and first choices, a
# scale's mean), never those of a group under 10 nor one that subtraction
# would give (Fougères hidden, and the smaller of the other two with it),
# the accepted texts only; the receipts found; the secrecy of the answers
# checked on the kiosk's store.
# Usage: quest_chain.sh BORNE BORNE_SERVER BORNE_TALLY SOURCE_ROOT
set -eu
BORNE=$1
SRV=$2
TALLY=$3
ROOT=$(cd "$4" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/quest_chain.XXXXXX")
PID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; [ -n "${KEEP:-}" ] || rm -rf "$T"' EXIT
. "$ROOT/tests/server/lib.sh"
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0

D=$T/srv
"$SRV" init-demo "$D" >/dev/null
start_server "$D"
C="curl -sS --max-time 30 --cacert $D/authority.crt"
"$BORNE" --init-demo "$T/k1" --demo-server "$D" --demo-kiosk 1 --demo-port "$PORT" >/dev/null
"$BORNE" --open-polls consult35-demo --state "$T/k1" >/dev/null

# person FILE LAST TYPED COMMUNE I: one person's answers (they vary with I)
person() {
    case $(($5 % 3)) in 0) mode="En voiture" ;; 1) mode="À vélo" ;; *) mode="En car ou en bus" ;; esac
    case $(($5 % 2)) in 0) bike=Oui ;; *) bike=Non ;; esac
    cat >>"$1" <<EOF
expect screen welcome
tap "Répondre"
tap "Répondre"
type "$2"
tap "Suivant"
type "Anne"
tap "Suivant"
type "12041987"
tap "Suivant"
type "$3"
tap "$4"
tap "Continuer"
expect screen question
tap "$mode"
tap "Suivant"
tap "Des cars le soir"
tap "Des pistes cyclables"
tap "Suivant"
tap "Une voie verte le long du canal"
tap "Une ligne de car Rennes - Fougères toutes les heures"
tap "Suivant"
tap "$(($5 % 5 + 1))"
tap "Suivant"
tap "$bike"
tap "Suivant"
EOF
    if [ "$bike" = Oui ]; then
        echo 'tap "La météo"' >>"$1"
        echo 'tap "Suivant"' >>"$1"
    fi
    if [ $(($5 % 4)) = 0 ]; then
        echo "type \"Idée numéro $5 : des cars le dimanche.\"" >>"$1"
        echo 'tap "Suivant"' >>"$1"
    else
        echo 'tap "Passer"' >>"$1" # nothing written: the question skipped
    fi
    cat >>"$1" <<EOF
expect text "Envoyer mes réponses"
tap "Envoyer mes réponses"
expect screen receipt
tap "Terminer"
EOF
}
S=$T/people.txt
: >"$S"
i=0
for place in "ren:Rennes:11" "saint-malo:Saint-Malo:11" "fougeres:Fougères:3"; do
    typed=${place%%:*} rest=${place#*:} commune=${rest%%:*} n=${rest#*:}
    k=0
    while [ $k -lt "$n" ]; do
        person "$S" "Martin$(echo ABCDEFGHIJKLMNOPQRSTUVWXY | cut -c $((i + 1)))" "$typed" "$commune" $i
        i=$((i + 1))
        k=$((k + 1))
    done
done
# the first person again: refused, saying nothing more
cat >>"$S" <<'EOF'
tap "Répondre"
tap "Répondre"
type "MartinA"
tap "Suivant"
type "Anne"
tap "Suivant"
type "12041987"
tap "Suivant"
type "ren"
tap "Rennes"
tap "Continuer"
expect screen message
expect text "Vous avez déjà répondu"
tap "Retour à l'accueil"
sync close
EOF
OUT=$("$BORNE" --headless --state "$T/k1" --script "$S" --shots "$T/shots" 2>"$T/borne.err") ||
    { cat "$T/borne.err" >&2; fail "the kiosk's script failed"; }
[ "$(echo "$OUT" | grep -c '^receipt ')" = 25 ] || fail "not 25 receipts: $OUT"
echo "$OUT" | grep -q '^sync bundles=[1-9][0-9]* items=[0-9]* left=0 online=1' ||
    fail "not uploaded: $(echo "$OUT" | grep sync)"
"$BORNE" --check-state "$T/k1" | grep -q '^campaign consult35-demo registered 25 answers 25 texts 7 verified 7$' ||
    fail "the kiosk's store: $("$BORNE" --check-state "$T/k1" | grep consult)"
# (STORE-S14) the texts lie in a slot table of their own (a bucket from
# their random id), nothing of the person nor of the answers beside them
[ "$(sqlite3 "$T/k1/kiosk.db" "SELECT group_concat(name) FROM pragma_table_info('qtext_box')")" = b,cell ] ||
    fail "the texts' table is not a slot table"
# the free texts went up with the last batch of ballots, not left behind
[ "$(sqlite3 "$D/server.db" "SELECT count(*) FROM texts")" = 7 ] ||
    fail "the server holds $(sqlite3 "$D/server.db" "SELECT count(*) FROM texts") texts, not 7"
CODE=$(echo "$OUT" | sed -n 's/^receipt //p' | head -n 1)
$C "$URL/v1/receipts/$CODE" | grep -q '"status":"counted"' || fail "receipt $CODE not counted"

# (one person, once, across kiosks) the first person at the other kiosk of the
# town hall, who skips every question and sends: the server's reservation
# says no (the last step before anything is written, KSYNC-K1)
"$BORNE" --init-demo "$T/k2" --demo-server "$D" --demo-kiosk 2 --demo-port "$PORT" >/dev/null
"$BORNE" --open-polls consult35-demo --state "$T/k2" >/dev/null
cat >"$T/again.txt" <<'EOF'
tap "Répondre"
tap "Répondre"
type "MartinA"
tap "Suivant"
type "Anne"
tap "Suivant"
type "12041987"
tap "Suivant"
type "ren"
tap "Rennes"
tap "Continuer"
tap "Passer"
tap "Passer"
tap "Passer"
tap "Passer"
tap "Passer"
tap "Passer"
tap "Envoyer mes réponses"
expect screen message
expect text "Vous avez déjà répondu"
tap "Retour à l'accueil"
EOF
"$BORNE" --headless --state "$T/k2" --script "$T/again.txt" --shots "$T/shots" >/dev/null 2>"$T/k2.err" ||
    { cat "$T/k2.err" >&2; fail "the second kiosk did not refuse the first person"; }
"$BORNE" --check-state "$T/k2" | grep -q '^campaign consult35-demo registered 0 answers 0 texts 0' ||
    fail "the second kiosk kept something: $("$BORNE" --check-state "$T/k2" | grep consult)"

# the server's bundles, the tally
mkdir -p "$T/export"
"$SRV" export --dir "$D" --campaign consult35-demo "$T/export" >/dev/null || fail "export"
A="--authority $D/authority.crt --package $D/consult35-demo.bpkg --track-key $D/consult35-demo.track"
# shellcheck disable=SC2086
"$TALLY" texts $A --provisional -o "$T/moderation.csv" "$T/export" >"$T/texts.out" 2>&1 ||
    { cat "$T/texts.out"; fail "borne-tally texts"; }
[ "$(tail -n +2 "$T/moderation.csv" | grep -c ';idee;')" = 7 ] || fail "not 7 texts to moderate"
# the team keeps all but the text of person 4
sed -e '1!s/\r$/oui/' -e '/Idée numéro 4 :/s/oui$/non/' "$T/moderation.csv" >"$T/decisions.csv"
# shellcheck disable=SC2086
"$TALLY" publish $A --provisional --texts "$T/decisions.csv" -o "$T/pub" "$T/export" >"$T/pub.out" 2>&1 ||
    { cat "$T/pub.out"; fail "borne-tally publish"; }
# no closing report (the demo kiosk has no agents to close it): provisional
grep -q 'answer sets 25 distinct, 25 counted' "$T/pub.out" || fail "not 25 counted: $(cat "$T/pub.out")"
R=$T/pub/results.json
tr -d ' \t\n' <"$R" >"$T/r"
grep -q '"respondents":25' "$T/r" || fail "25 respondents"
# (PUB-P3) Fougères (3) hidden, and one of Rennes / Saint-Malo (11 each) with it
grep -q '"id":"fougeres","name":"PaysdeFougères","shown":false' "$T/r" || fail "Fougères shown"
[ "$(grep -o '"shown":false,"respondents":"fewer-than-10-or-hidden"' "$T/r" | wc -l)" -ge 2 ] ||
    fail "subtraction would give Fougères"
! grep -q '"respondents":3[,}]' "$T/r" || fail "a count of 3"
# the figures: 25 answered the first three questions; the ranking's first choices
grep -q '"id":"mode","type":"one","shown":true,"answered":25' "$T/r" || fail "mode: 25 answers"
grep -q '"id":"voie","count":25,"first":25,"borda":75' "$T/r" || fail "the ranking's figures"
grep -q '"id":"velo","type":"yesno","shown":true,"answered":25' "$T/r" || fail "yes/no"
grep -q 'class="bar"' "$T/pub/index.html" || fail "no bar chart"
grep -q 'Borda' "$T/pub/index.html" || fail "no Borda points"
grep -q '<blockquote>Idée numéro 0 : des cars le dimanche.</blockquote>' "$T/pub/index.html" ||
    fail "an accepted text"
! grep -q 'Idée numéro 4 ' "$T/pub/index.html" "$T/pub/texts.csv" "$R" || fail "a refused text published"
[ "$(grep -c 'Idée numéro' "$T/pub/texts.csv")" = 6 ] || fail "not 6 texts published"
grep -q "^$CODE\$" "$T/pub/tracking-codes.txt" || fail "the receipt's code is not published"
! grep -q 'Martin' "$T/pub"/* || fail "a name in the publication"
# an observer holds the publication to itself: small counts, sums, the CSVs
"$TALLY" check "$T/pub" >"$T/check.out" 2>&1 || { cat "$T/check.out"; fail "borne-tally check"; }
grep -q 'no group under 10 shown, none given away' "$T/check.out" || fail "check: PUB-P3"
stop_server
PID=0
echo "quest chain: 25 answer sets from a kiosk, one person refused again there and at another kiosk, uploaded, tallied, published" \
     "with charts and small counts hidden, 6 of 7 texts after moderation"
