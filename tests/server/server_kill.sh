#!/bin/sh
# server_kill.sh - (SRV-D1, SRV-D2) borne-server SIGKILLed at random moments during
# uploads, at least 50 times, and restarted; a client re-sends every bundle
# until acknowledged. At the end every ballot is held exactly once (the
# acknowledgements' counts and ballot-id digests equal those of the bundles
# sent), every receipt is found, and the store passes integrity_check.
# Usage: server_kill.sh BORNE_SERVER SERVER_GEN
set -eu
SRV=$1
GEN=$2
KILLS=${BORNE_SERVER_KILLS:-55}
T=$(mktemp -d "${TMPDIR:-/tmp}/server_kill.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ -f "$T/pid" ] && kill -9 $(cat "$T/pid") 2>/dev/null; kill $KPID 2>/dev/null; rm -rf "$T"' EXIT
PID=0
KPID=0
. "$(dirname "$0")/lib.sh"

D=$T/d
"$SRV" init-demo "$D" >/dev/null
mkdir "$T/b"
"$GEN" bundles "$D" 1 "$T/b" 30 40 40
"$GEN" bundles "$D" 2 "$T/b" 20 40 40

# The killer: starts the server, kills it with SIGKILL after a random delay
# (0..400 ms: during TLS handshakes, verification, the store transaction),
# restarts it, KILLS times; then leaves a server running.
(
    start_server "$D"
    echo $PID >"$T/pid"
    k=0
    while [ $k -lt "$KILLS" ]; do
        sleep "0.$(printf '%03d' "$(rand 400)")"
        kill -9 $PID
        wait $PID 2>/dev/null || true
        k=$((k + 1))
        echo $k >"$T/kills"
        start_server "$D"
        echo $PID >"$T/pid"
    done
    touch "$T/killer.done"
    wait $PID 2>/dev/null || true
) &
KPID=$!

# The client: passes over every bundle, re-sending each until it is
# acknowledged; once the killer is done, one last pass must ack them all.
acked=0
while :; do
    last=0
    [ -f "$T/killer.done" ] && last=1
    all=1
    for f in "$T"/b/*.bundle; do
        port=$(cat "$T/port" 2>/dev/null || true)
        k=$(basename "$f" | sed 's/^k\([0-9]\)-.*/\1/')
        code=$(curl -s --max-time 10 --cacert "$D/authority.crt" -o "$T/ack" -w '%{http_code}' \
            --cert "$D/kiosks/kiosk-35238-0$k.crt" --key "$D/kiosks/kiosk-35238-0$k.key" \
            -H 'Content-Type: application/octet-stream' --data-binary "@$f" \
            "https://localhost:$port/v1/bundles" || true)
        if [ "$code" = 200 ]; then
            acked=$((acked + 1))
        else
            case "$code" in
            000 | "") all=0 ;;
            *) fail "$f: status $code $(cat "$T/ack")" ;;
            esac
        fi
    done
    [ $last = 1 ] && [ $all = 1 ] && break
done
kills=$(cat "$T/kills")
[ "$kills" -ge 50 ] || fail "only $kills kills"
PORT=$(cat "$T/port")
URL="https://localhost:$PORT"
C="curl -sS --max-time 30 --cacert $D/authority.crt"
for k in 1 2; do
    last=$(ls "$T"/b/k$k-*.bundle | tail -n 1)
    ack=$($C --cert "$D/kiosks/kiosk-35238-0$k.crt" --key "$D/kiosks/kiosk-35238-0$k.key" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$last" "$URL/v1/bundles")
    echo "$ack" | grep -qF "$(cat "$T/b/k$k.expect")" ||
        fail "kiosk $k after $kills kills: $ack, expected $(cat "$T/b/k$k.expect")"
done
n=0
for code in $(sed -n '1~10p' "$T/b/k1.codes" "$T/b/k2.codes"); do
    r=$($C "$URL/v1/receipts/$code")
    [ "$r" = '{"status":"counted"}' ] || fail "receipt $code: $r"
    n=$((n + 1))
done
kill "$(cat "$T/pid")"
wait $KPID 2>/dev/null || true
out=$("$SRV" check --dir "$D") || fail "check: $out"
echo "$out" | grep -q '^ok ballots=2000 register=2000 ' || fail "check: $out"
echo "server_kill: ok: $kills kills, $acked acknowledgements, $n receipts checked, $out"
