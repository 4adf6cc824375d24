#!/bin/sh
# sync_e2e.sh - the kiosk's sync client (firmware/net/sync.c) against a real
# borne-server on 127.0.0.1: ballots cast into two kiosk stores, uploaded in
# batches (not before a batch is due), every ballot on the server exactly
# once (metrics, acknowledgements, receipts), outbox empty afterwards (in the
# uploading process: the outbox is its memory, and a new process finds
# everything unsent and sends it again, STORE-S12); a lost
# acknowledgement and a server restart counted nothing twice; TLS refusals
# (wrong CA, wrong host name, expired server certificate) and a revoked
# kiosk marked nothing synced; a server restored from an old copy of its
# database is noticed (SYNC-Y3); reservations (reserved, then already, from
# two kiosks); offline reservation fast; packages and revocation list
# downloaded and verified. Usage: sync_e2e.sh BORNE_SERVER SYNC_KIT
set -eu
SRV=$1
KIT=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/sync_e2e.XXXXXX")
PID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/../server/lib.sh"

D=$T/d
"$SRV" init-demo "$D" >/dev/null
"$SRV" init-demo "$T/other" >/dev/null
K1=$T/k1.db
K2=$T/k2.db
C="curl -sS --max-time 30 --cacert $D/authority.crt"

held() {   # ballots of bp35-demo held by the server
    $C "$URL/v1/metrics" | tr -d ' \t\n' | sed 's/.*"campaigns":\[{"campaign":"bp35-demo","ballots":\([0-9]*\).*/\1/'
}
outbox() { "$KIT" outbox "$1"; }
# up KIOSK STORE OPTS...: sync_upload, output in $OUT (exit status kept in $RC)
up() {
    n=$1
    s=$2
    shift 2
    RC=0
    OUT=$("$KIT" upload "$D" "$n" "$s" "$PORT" "$@" 2>>"$T/kit.err") || RC=$?
    echo "upload k$n $*: $OUT"
    case $OUT in *mismatch*) [ "${MISMATCH_OK:-0}" = 1 ] || fail "unexpected mismatch: $OUT" ;; esac
}
expect() {   # expect PATTERN: $OUT matches
    echo "$OUT" | grep -q -- "$1" || fail "expected '$1', got: $OUT"
}

start_server "$D"
# --- batches: nothing before a batch is due, then everything once ---------
"$KIT" cast "$D" 1 "$K1" 25 >"$T/codes"
[ "$(outbox "$K1")" = 50 ] || fail "outbox after 25 casts: $(outbox "$K1")"
up 1 "$K1" min=100
expect "bundles=0 items=0 left=25 ballots=0 due=0"
[ "$(held)" = 0 ] || fail "server holds $(held) before a batch was due"
up 1 "$K1" min=10 max=20
expect "bundles=4 items=50 left=0 ballots=25 due=1"
# (STORE-S12) nothing on disk says what was sent: a new process sends it all
[ "$(outbox "$K1")" = 50 ] || fail "a new process's outbox: $(outbox "$K1")"
[ "$(held)" = 25 ] || fail "server holds $(held), expected 25"

# --- the oldest unsent cast waited longer than the maximum delay ------------
"$KIT" cast "$D" 2 "$K2" 3 >>"$T/codes"
up 2 "$K2" min=100 delay=300
# (SYNC-Y4) the register entries go; three ballots never go alone
expect "bundles=1 items=3 left=3 ballots=0 due=1"

# --- a lost acknowledgement: the server stored it, the kiosk never knew ----
"$KIT" cast "$D" 2 "$K2" 17 >>"$T/codes"
OUT=$("$KIT" upload "$D" 2 "$K2" "$PORT" lose-ack)
expect "sent 40 items, status 200"
[ "$(held)" = 45 ] || fail "server holds $(held), expected 45"
up 2 "$K2" closing
expect "bundles=2 items=40 left=0 ballots=20 due=1"
[ "$(held)" = 45 ] || fail "re-upload counted twice: $(held)"

# --- the server goes away, then comes back (same database) ------------------
"$KIT" cast "$D" 1 "$K1" 5 >>"$T/codes"
stop_server
up 1 "$K1" closing
[ $RC = 1 ] || fail "upload with no server succeeded"
expect "error -2 input/output error"
start_server "$D"
up 1 "$K1" closing
expect "bundles=2 items=60 left=0 ballots=30 due=1"
[ "$(held)" = 50 ] || fail "after restart: server holds $(held), expected 50"

# --- TLS refusals: nothing marked synced -----------------------------------
"$KIT" cast "$D" 1 "$K1" 4 >>"$T/codes"
up 1 "$K1" closing ca="$T/other/authority.crt"
[ $RC = 1 ] || fail "wrong CA accepted"
expect "error -9 .*not correctly signed by the trusted CA"
up 1 "$K1" closing host=wrong.example
[ $RC = 1 ] || fail "wrong host name accepted"
expect "error -12 .*server certificate for wrong.example refused"
stop_server
cp -r "$D" "$T/exp"
"$KIT" expire "$T/exp"
start_server "$T/exp"
up 1 "$K1" closing
[ $RC = 1 ] || fail "expired server certificate accepted"
expect "error -10 .*validity has expired"
stop_server
start_server "$D"
[ "$(held)" = 50 ] || fail "TLS refusals stored something: $(held)"
up 1 "$K1" closing
expect "bundles=2 items=68 left=0 ballots=34 due=1"

# --- every ballot exactly once, every receipt found -------------------------
[ "$(held)" = 54 ] || fail "server holds $(held), expected 54"
[ "$(wc -l <"$T/codes")" = 54 ] || fail "codes: $(wc -l <"$T/codes")"
for code in $(cat "$T/codes"); do
    r=$($C "$URL/v1/receipts/$code")
    [ "$r" = '{"status":"counted"}' ] || fail "receipt $code: $r"
done

# --- (SYNC-Y3) the server restored from an old copy of its database ---------------
stop_server
mkdir "$T/old"
cp "$D"/server.db* "$T/old/"
start_server "$D"
"$KIT" cast "$D" 1 "$K1" 3 >/dev/null
# one kiosk process uploads, then (wait=) uploads again once the server
# was restored from the old copy and two more casts were made
rm -f "$T/go"
"$KIT" upload "$D" 1 "$K1" "$PORT" closing wait="$T/go" >"$T/twice" 2>>"$T/kit.err" &
KPID=$!
for i in $(seq 1 300); do [ -s "$T/twice" ] && break; sleep 0.1; done
grep -q "bundles=2 items=74 left=0 ballots=37 due=1$" "$T/twice" || fail "first upload: $(cat "$T/twice")"
stop_server
rm -f "$D"/server.db*
cp "$T"/old/server.db* "$D/"
start_server "$D"
[ "$(held)" = 54 ] || fail "old copy: server holds $(held), expected 54"
"$KIT" cast "$D" 1 "$K1" 2 >/dev/null
echo "$PORT" >"$T/go"
wait $KPID || fail "the uploading process failed: $(cat "$T/twice") $(tail -n 2 "$T/kit.err")"
OUT=$(tail -n 1 "$T/twice")
echo "upload k1 again: $OUT"
expect "ballots=36 due=1 mismatch: the server holds 36 ballots and 0 signatures of this kiosk, the kiosk marked 39 and 0 synced"
# the kiosk queued everything again: the next upload repairs the server
up 1 "$K1" closing
expect "ballots=39 due=1$"
[ "$(held)" = 59 ] || fail "after the repair the server holds $(held), expected 59"

# --- reservations -----------------------------------------------------------
PS=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
OUT=$("$KIT" reserve "$D" 1 "$PORT" "$PS" 3000)
expect "^reserved "
OUT=$("$KIT" reserve "$D" 2 "$PORT" "$PS" 3000)
expect "^already "
OUT=$("$KIT" reserve "$D" 1 "$PORT" "$PS" 3000)
expect "^reserved "

# --- downloads, verified ----------------------------------------------------
OUT=$("$KIT" fetch "$D" "$PORT")
expect "package bp35-demo"
expect "revocations none"
expect "counter signatures=0 cantons=0 threshold=1000 min_cantons=3 reached=0"
expect "counter of a budget: -17 not found"
stop_server
"$KIT" revoke "$D" 2
start_server "$D"
OUT=$("$KIT" fetch "$D" "$PORT")
expect "revocations seq 1, 1 kiosks"
"$KIT" cast "$D" 2 "$K2" 2 >/dev/null
up 2 "$K2" closing
[ $RC = 1 ] || fail "revoked kiosk accepted"
expect "error -28 .*revoked-kiosk"
[ "$(outbox "$K2")" = 44 ] || fail "revoked: outbox $(outbox "$K2")"

# --- offline: the reservation says so, within its timeout -------------------
stop_server
OUT=$("$KIT" reserve "$D" 1 "$PORT" "$PS" 500)
expect "^offline "
ms=$(echo "$OUT" | cut -d' ' -f2)
[ "$ms" -lt 1000 ] || fail "offline reservation took $ms ms"
PID=0
! grep -q 'Sanitizer\|runtime error' "$T/kit.err" || fail "sanitizer report from sync_kit"
echo "sync_e2e: ok"
