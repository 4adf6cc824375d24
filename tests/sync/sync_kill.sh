#!/bin/sh
# sync_kill.sh - the kiosk SIGKILLed at random moments during uploads (50
# rounds or more: casts, an upload in several bundles, kill -9 after 0-400 ms),
# then one last upload: every ballot on the server exactly once, the outbox
# empty, every receipt found; after every round nothing is marked synced
# that the server does not hold. (SYNC-Y2): a kill between the server's
# acknowledgement and the marking only makes the next upload send the same
# items again. Usage: sync_kill.sh BORNE_SERVER SYNC_KIT (rounds: $SYNC_KILL_ROUNDS)
set -eu
SRV=$1
KIT=$2
ROUNDS=${SYNC_KILL_ROUNDS:-50}
T=$(mktemp -d "${TMPDIR:-/tmp}/sync_kill.XXXXXX")
PID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/../server/lib.sh"

D=$T/d
"$SRV" init-demo "$D" >/dev/null
K=$T/k.db
C="curl -sS --max-time 30 --cacert $D/authority.crt"
held() {
    $C "$URL/v1/metrics" | tr -d ' \t\n' | sed 's/.*"campaigns":\[{"campaign":"bp35-demo","ballots":\([0-9]*\).*/\1/'
}
start_server "$D"
total=0
killed=0
moved=0
last=0
i=0
# at least ROUNDS rounds, and more (up to 4 x ROUNDS) until a quarter of
# them killed an upload in flight: how long an upload takes varies with the
# build (sanitizers) and the load, the kills must still land
while [ $i -lt "$ROUNDS" ] || { [ $killed -lt $((ROUNDS / 4)) ] && [ $i -lt $((ROUNDS * 4)) ]; }; do
    i=$((i + 1))
    n=$(( $(rand 6) + 1 ))
    "$KIT" cast "$D" 1 "$K" $n >>"$T/codes"
    total=$((total + n))
    "$KIT" upload "$D" 1 "$K" "$PORT" closing max=4 >"$T/out" 2>>"$T/kit.err" &
    up=$!
    sleep "$(awk "BEGIN { print $(rand 400) / 1000 }")"
    kill -9 $up 2>/dev/null || true
    wait $up 2>/dev/null || true
    grep -q "^bundles=" "$T/out" || killed=$((killed + 1))
    h=$(held)
    [ "$h" = "$last" ] || moved=$((moved + 1))
    last=$h
    [ "$h" -le "$total" ] || fail "round $i: server holds $h of $total casts"
    # (STORE-S12) what a killed process marked synced died with it: the
    # next process sends everything again, so nothing can be marked synced
    # that the server does not hold
done
OUT=$("$KIT" upload "$D" 1 "$K" "$PORT" closing)
echo "last upload: $OUT"
echo "$OUT" | grep -q "left=0 " || fail "last upload: $OUT"
[ "$(held)" = "$total" ] || fail "server holds $(held), expected $total"
# (STORE-S12) the outbox is the uploading process's memory: "left=0" above
# says it emptied; a new process finds everything unsent again
for code in $(cat "$T/codes"); do
    r=$($C "$URL/v1/receipts/$code")
    [ "$r" = '{"status":"counted"}' ] || fail "receipt $code: $r"
done
stop_server
PID=0
! grep -q 'Sanitizer\|runtime error' "$T/kit.err" || fail "sanitizer report from sync_kit"
echo "sync_kill: ok ($total ballots; $killed of $i uploads killed, $moved rounds stored something)"
[ "$killed" -ge $((ROUNDS / 4)) ] || fail "only $killed uploads were killed: the test did not test"
