#!/bin/sh
# sync_faults.sh - uploads through a faulty proxy on loopback (sync_proxy.c:
# drop, delay, truncated request, truncated or reset answer, at random),
# 40 rounds of casts and uploads. After every round nothing is marked synced
# that the server does not hold (SYNC-Y2); at the end, with the proxy gone,
# every ballot is on the server exactly once and every receipt is found.
# Usage: sync_faults.sh BORNE_SERVER SYNC_KIT SYNC_PROXY [ROUNDS]
set -eu
SRV=$1
KIT=$2
PROXY=$3
ROUNDS=${4:-40}
T=$(mktemp -d "${TMPDIR:-/tmp}/sync_faults.XXXXXX")
PID=0
PPID_=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; [ $PPID_ = 0 ] || kill $PPID_ 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/../server/lib.sh"

D=$T/d
"$SRV" init-demo "$D" >/dev/null
K=$T/k.db
C="curl -sS --max-time 30 --cacert $D/authority.crt"
held() {
    $C "$URL/v1/metrics" | tr -d ' \t\n' | sed 's/.*"campaigns":\[{"campaign":"bp35-demo","ballots":\([0-9]*\).*/\1/'
}
start_server "$D"
SEED=${SYNC_FAULTS_SEED:-$(rand 30000)}
echo "proxy seed $SEED"
"$PROXY" "$T/pport" "$PORT" "$SEED" 2>"$T/faults" &
PPID_=$!
i=0
while [ ! -s "$T/pport" ]; do
    i=$((i + 1))
    [ $i -gt 100 ] && fail "proxy did not start"
    sleep 0.05
done
PP=$(cat "$T/pport")
total=0
ok=0
lost=0
i=0
while [ $i -lt "$ROUNDS" ]; do
    i=$((i + 1))
    n=$(( $(rand 5) + 1 ))
    "$KIT" cast "$D" 1 "$K" $n >>"$T/codes"
    total=$((total + n))
    OUT=$("$KIT" upload "$D" 1 "$K" "$PP" closing max=6 io=1000 2>>"$T/kit.err") || true
    # (STORE-S12) what the upload marked synced lives in its process: all
    # of the casts but the "left" ones when it answered, none if it failed
    synced=0
    case $OUT in bundles=*)
        ok=$((ok + 1))
        synced=$((total - $(echo "$OUT" | sed 's/.* left=\([0-9]*\) .*/\1/'))) ;;
    esac
    h=$(held)
    [ "$h" -le "$total" ] || fail "round $i: server holds $h of $total casts"
    [ "$synced" -le "$h" ] || fail "round $i: $synced marked synced, server holds $h ($OUT)"
    [ "$synced" = "$h" ] || lost=$((lost + 1))
done
kill $PPID_
wait $PPID_ 2>/dev/null || true
PPID_=0
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
for f in pass drop delay cut-up cut-down reset; do
    printf '%s=%s ' $f "$(grep -c ": $f " "$T/faults" || true)"
done
echo
echo "sync_faults: ok ($total ballots; $ok of $ROUNDS uploads through the proxy succeeded;" \
    "$lost rounds ended with the server ahead of the kiosk's marks)"
