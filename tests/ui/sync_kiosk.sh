#!/bin/sh
# sync_kiosk.sh - the kiosk program (borne) with its link to a real
# borne-server on 127.0.0.1 (firmware/net/ksync.c): two kiosks of one demo
# server, driven headless by touch.
#   online: a vote reserved on the server (register entry online), uploaded
#     in one batch at `sync close`; the same person refused at the second
#     kiosk; a petition signed at kiosk 1 shows in kiosk 2's national
#     counter; every receipt found by the server's lookup;
#   offline: the server stopped, the same person votes at both kiosks: both
#     recorded as offline entries, uploaded when the server is back, and
#     reported as a duplicate pair (server metrics, and borne-tally reading
#     the server's store names both kiosks);
#   revoked: kiosk 2 revoked by the authority goes out of service after a
#     round, and casts nothing;
#   (KSYNC-K3) a kiosk whose stored package differs from the server's goes out of
#     service and logs it.
# Every ballot is on the server exactly once; every store checks.
# Usage: sync_kiosk.sh BORNE BORNE_SERVER SYNC_KIT BORNE_TALLY
set -eu
BORNE=$1
SRV=$2
KIT=$3
TALLY=$4
T=$(mktemp -d "${TMPDIR:-/tmp}/sync_kiosk.XXXXXX")
PID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/../server/lib.sh"
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0

D=$T/srv
"$SRV" init-demo "$D" >/dev/null
start_server "$D"
C="curl -sS --max-time 30 --cacert $D/authority.crt"
"$BORNE" --init-demo "$T/k1" --demo-server "$D" --demo-kiosk 1 --demo-port "$PORT" >/dev/null
"$BORNE" --init-demo "$T/k2" --demo-server "$D" --demo-kiosk 2 --demo-port "$PORT" >/dev/null

# vote FILE LAST FIRST: a budget vote script for this person (Rennes), up
# to the confirming tap; what follows is appended by the caller
vote() {
    cat >"$1" <<EOF
expect screen welcome
tap "Voter"
expect screen identity
type "$2"
tap "Suivant"
type "$3"
tap "Suivant"
type "12041987"
tap "Suivant"
type "ren"
tap "Rennes"
tap "Continuer"
expect screen projects
tap "Choisir : Jardin partagé du Blosne"
tap "Voir mon choix"
tap "Valider mon vote"
EOF
}
# run KIOSK SCRIPT: replays it, output in $OUT (stdout), fails on a failing line
run() {
    OUT=$("$BORNE" --headless --state "$T/$1" --script "$2" --shots "$T/shots" \
          2>>"$T/borne.err") || { cat "$T/borne.err" >&2; fail "$1: $2 failed: $OUT"; }
    echo "$1 $(basename "$2"): $(echo "$OUT" | tr '\n' ' ')"
}
expect() { echo "$OUT" | grep -q -- "$1" || fail "expected '$1', got: $OUT"; }
reg() {    # reg KIOSK OFFLINE: register entries of bp35-demo with that flag, read
    # from the raw buckets (firmware/store/store_int.h): a count byte, then
    # 53-byte entries (campaign padded to 16 bytes, ..., flags at 52)
    sqlite3 "$T/$1/kiosk.db" "WITH RECURSIVE i(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM i
        WHERE n < 15) SELECT count(*) FROM register, i WHERE b >= 0
        AND printf('%02X', n) < hex(substr(cell, 1, 1))
        AND hex(substr(cell, 2 + n * 53, 16)) = hex('bp35-demo') || '00000000000000'
        AND hex(substr(cell, 54 + n * 53, 1)) = printf('%02X', $2)"
}
metric() { # metric NAME: bp35-demo's figure in /v1/metrics
    $C "$URL/v1/metrics" | tr -d ' \t\n' | sed 's/"kiosks":.*//' |
        sed "s/.*\"campaign\":\"bp35-demo\",\([^}]*\)}.*/\1/" | tr ',' '\n' |
        sed -n "s/^\"$1\":\([0-9]*\)$/\1/p"
}
counted() { # counted CODE
    $C "$URL/v1/receipts/$1" | grep -q '"counted"' || fail "receipt $1 not counted"
}
# restart: borne-server again on the same port (the kiosks' server.conf)
restart() {
    "$SRV" serve --dir "$D" --listen "127.0.0.1:$PORT" 2>>"$T/log" &
    PID=$!
    i=0
    until $C "$URL/v1/health" >/dev/null 2>&1; do
        i=$((i + 1))
        [ $i -gt 100 ] && fail "server did not restart on port $PORT"
        sleep 0.1
    done
}
mkdir -p "$T/shots"

# --- online: reserved, uploaded, the same person refused elsewhere --------
vote "$T/a1.txt" "Le Gall" "Éloïse"
printf 'expect screen receipt\ntap "Terminer"\nsync\nsync close\n' >>"$T/a1.txt"
run k1 "$T/a1.txt"
expect "sync bundles=0 items=0 left=1 online=1"     # (SYNC-Y1) not a lone ballot
expect "sync bundles=2 items=2 left=0 online=1"     # (SYNC-Y4) who took part, then the ballot
CODE_A=$(echo "$OUT" | sed -n 's/^receipt //p')
# (KSYNC-K1) reserved by the server: an online entry
[ "$(reg k1 0)" = 1 ] && [ "$(reg k1 1)" = 0 ] || fail "k1: the reserved entry is not online"
[ "$(metric ballots)" = 1 ] || fail "server holds $(metric ballots) ballots, expected 1"
counted "$CODE_A"

vote "$T/a2.txt" "Le Gall" "Éloïse"
printf 'expect screen message\nexpect text "Vous avez déjà participé"\nshot already-elsewhere\n' >>"$T/a2.txt"
printf 'tap "Retour à l'\''accueil"\nexpect screen welcome\n' >>"$T/a2.txt"
run k2 "$T/a2.txt"
echo "$OUT" | grep -q '^receipt' && fail "k2 cast a ballot for a person who voted at k1"
[ "$(reg k2 0)$(reg k2 1)" = 00 ] || fail "k2 registered the person refused"

# --- the petition: signed at k1, counted in k2's national counter ----------
cat >"$T/p1.txt" <<'EOF'
tap "Lire et signer"
expect screen petitions
tap "Lire la pétition"
tap "Signer cette pétition"
expect screen identity
type "Morel"
tap "Suivant"
type "Jeanne"
tap "Suivant"
type "03031950"
tap "Suivant"
type "ren"
tap "Rennes"
tap "Continuer"
expect screen consent
tap "Signer"
expect screen receipt
tap "Terminer"
sync close
EOF
run k1 "$T/p1.txt"
# (STORE-S12) a new kiosk process sends everything again: the vote's entry
# and ballot (two bundles, SYNC-Y4) and the signature
expect "sync bundles=3 items=3 left=0 online=1"
CODE_P=$(echo "$OUT" | sed -n 's/^receipt //p')
counted "$CODE_P"
cat >"$T/p2.txt" <<'EOF'
sync
tap "Lire et signer"
expect screen petitions
expect text "Signatures dans tout le département, à"
expect text "1 signature sur les 1 000 nécessaires"
expect text "Recueillies sur cette borne : 0"
shot petitions-national
EOF
run k2 "$T/p2.txt"

# --- offline: the same person at both kiosks, both kept, reported ---------
stop_server
vote "$T/c.txt" "Martin" "Paul"
printf 'expect screen receipt\ntap "Terminer"\nsync close\n' >>"$T/c.txt"
run k1 "$T/c.txt"
expect "online=0"
CODE_C1=$(echo "$OUT" | sed -n 's/^receipt //p')
run k2 "$T/c.txt"
CODE_C2=$(echo "$OUT" | sed -n 's/^receipt //p')
# (KSYNC-K1) no answer from the server: both entries offline
[ "$(reg k1 1)" = 1 ] && [ "$(reg k2 1)" = 1 ] || fail "offline entries: k1 $(reg k1 1), k2 $(reg k2 1)"
restart
printf 'sync close\n' >"$T/s.txt"
run k1 "$T/s.txt"
expect "sync bundles=3 items=5 left=0 online=1"     # (STORE-S12) (SYNC-Y4) all of k1's again
run k2 "$T/s.txt"
expect "sync bundles=2 items=2 left=0 online=1"     # (SYNC-Y4) who took part, then the ballot
[ "$(metric ballots)" = 3 ] || fail "server holds $(metric ballots) ballots, expected 3: $($C "$URL/v1/metrics")"
[ "$(metric register)" = 3 ] || fail "server holds $(metric register) register entries, expected 3"
[ "$(metric duplicate_pseudonyms)" = 1 ] ||
    fail "duplicate_pseudonyms $(metric duplicate_pseudonyms), expected 1 (Martin Paul at k1 and k2)"
for c in "$CODE_A" "$CODE_C1" "$CODE_C2"; do counted "$c"; done
# uploading again (a new process: everything again, STORE-S12) changes nothing
run k1 "$T/s.txt"
expect "sync bundles=3 items=5 left=0 online=1"
[ "$(metric ballots)" = 3 ] || fail "a second upload changed the count: $(metric ballots)"

# the tally, reading the server's store, names the pair of kiosks; no
# kiosk closed its polls (no closing report), so it does not certify
TRC=0
"$TALLY" verify --server-db "$D/server.db" --authority "$D/authority.crt" \
    --package "$D/bp35-demo.bpkg" --track-key "$D/bp35-demo.track" >"$T/tally.out" 2>&1 || TRC=$?
[ $TRC = 1 ] || { cat "$T/tally.out"; fail "tally exit $TRC, expected 1 (no closing reports)"; }
grep -q "^DUPLICATE participation .*kiosk kiosk-35238-0[12] .*and kiosk kiosk-35238-0[12] " "$T/tally.out" ||
    { cat "$T/tally.out"; fail "the tally does not name the duplicate pair of kiosks"; }
[ "$(grep -c '^DUPLICATE' "$T/tally.out")" = 1 ] || fail "the tally reports more than one duplicate"

# --- the server restarted on an empty database: each kiosk process sends
# everything again when it starts (STORE-S12), so the server gets it all
# back, once; the mismatch a running kiosk notices (SYNC-Y3) is sync_e2e's --
stop_server
mkdir "$T/lost"
mv "$D"/server.db* "$T/lost/"
restart
[ "$(metric ballots)" = 0 ] || fail "the new database is not empty"
run k1 "$T/s.txt"
expect "sync bundles=3 items=5 left=0 online=1$"
run k2 "$T/s.txt"
expect "sync bundles=2 items=2 left=0 online=1$"
[ "$(metric ballots)" = 3 ] || fail "after the repair the server holds $(metric ballots) ballots, expected 3"
[ "$(metric register)" = 3 ] || fail "after the repair: $(metric register) register entries, expected 3"
for c in "$CODE_A" "$CODE_C1" "$CODE_C2" "$CODE_P"; do counted "$c"; done
run k1 "$T/s.txt"
expect "sync bundles=3 items=5 left=0 online=1$"
[ "$(metric ballots)" = 3 ] || fail "counted twice: $(metric ballots)"

# --- revoked: kiosk 2 goes out of service and casts nothing ---------------
stop_server
"$KIT" revoke "$D" 2 >/dev/null
restart
printf 'sync\nwait 200\nexpect screen outofservice\nexpect text "revoked"\nshot revoked\n' >"$T/r.txt"
run k2 "$T/r.txt"
run k1 "$T/s.txt"
expect "online=1"

# --- (KSYNC-K3) a kiosk whose package is not the server's goes out of service ---
"$BORNE" --init-demo "$T/k3" --demo-server "$D" --demo-kiosk 1 --demo-port "$PORT" >/dev/null
sqlite3 "$T/k3/kiosk.db" "UPDATE campaign SET package = package || x'0a' WHERE id = 'bp35-demo'"
printf 'sync\nwait 200\nexpect screen outofservice\nexpect text "package differs"\n' >"$T/m.txt"
run k3 "$T/m.txt"
sqlite3 "$T/k3/kiosk.db" "SELECT detail FROM audit WHERE event = 'package-mismatch'" |
    grep -q "bp35-demo" || fail "k3: no package-mismatch in the audit log"

for k in k1 k2; do
    "$BORNE" --check-state "$T/$k" >"$T/check" || { cat "$T/check"; fail "$k: --check-state"; }
done
stop_server
! grep -q 'Sanitizer\|runtime error' "$T/borne.err" || fail "sanitizer report from borne"
[ -n "${KEEP_SHOTS:-}" ] && cp "$T"/shots/*.png "$KEEP_SHOTS"/
echo "PASS: online reservation and refusal, batched uploads, national counter, offline duplicate reported, revocation"
