#!/bin/sh
# server_http.sh - borne-server over HTTPS with curl: upload, acknowledgement,
# idempotence, two kiosks, receipts (JSON and HTML), every refusal with its
# status and nothing stored, revocation, packages, atomic reservations with
# TLS client certificates, TLS checks (wrong CA, wrong host name), logs free
# of codes. Usage: server_http.sh BORNE_SERVER SERVER_GEN
set -eu
SRV=$1
GEN=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/server_http.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ "$PID" = 0 ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
PID=0
. "$(dirname "$0")/lib.sh"

D=$T/d
"$SRV" init-demo "$D" >/dev/null
"$SRV" init-demo "$T/other" >/dev/null
mkdir "$T/b" "$T/unsent"
"$GEN" bundles "$D" 1 "$T/b" 3 20 20
"$GEN" bundles "$D" 2 "$T/b" 2 10 10
"$GEN" bundles "$D" 1 "$T/unsent" 1 3 0
"$GEN" foreign "$D" "$T/foreign.bin"
"$GEN" tamper "$T/b/k1-0001.bundle" "$T/tampered.bin"
start_server "$D"
C="curl -sS --max-time 30 --cacert $D/authority.crt"
# (HARDEN-H2) the running server can leave no core dump (its TLS key, the
# register): its core size limit is 0
grep -q '^Max core file size *0 *0 ' "/proc/$PID/limits" ||
    fail "borne-server may dump core: $(grep 'core file' "/proc/$PID/limits")"
# (SRV-S7) (HARDEN-H1) its store and the files it made are 0600
for f in "$D"/server.db*; do
    [ "$(stat -c %a "$f")" = 600 ] || fail "$f is $(stat -c %a "$f"), not 600"
done

# kiosk N: its TLS client certificate and key for curl (SRV-N1)
kiosk() { echo "--cert $D/kiosks/kiosk-35238-0$1.crt --key $D/kiosks/kiosk-35238-0$1.key"; }
# post FILE TYPE [KIOSK]: uploads as kiosk KIOSK (default: the one the file
# name says, k2-... is kiosk 2, else kiosk 1), sets CODE and BODY
post() {
    k=${3:-$(case "$(basename "$1")" in k2-*) echo 2 ;; *) echo 1 ;; esac)}
    CODE=$($C $(kiosk "$k") -o "$T/out" -w '%{http_code}' -H "Content-Type: $2" \
        --data-binary "@$1" "$URL/v1/bundles")
    BODY=$(cat "$T/out")
}
ballots_held() {
    $C "$URL/v1/metrics" | tr -d ' \t\n' | sed 's/.*"campaigns":\[{[^}]*"ballots":\([0-9]*\).*/\1/'
}

# --- upload, acknowledgement, idempotence ---------------------------------
post "$T/b/k1-0001.bundle" application/octet-stream
[ "$CODE" = 200 ] || fail "upload: $CODE $BODY"
echo "$BODY" | grep -q '"ballots":20,"register":20,"reports":0' || fail "ack: $BODY"
FIRST=$BODY
post "$T/b/k1-0001.bundle" application/octet-stream
# the same but for "added" (0 now) and "time_ms" (BACKUP-B2), which come last
[ "$CODE" = 200 ] && [ "${BODY%%,\"added\"*}" = "${FIRST%%,\"added\"*}" ] ||
    fail "re-upload changed the ack: $BODY"
echo "$BODY" | grep -q ',"added":0,"time_ms":[0-9]*}$' || fail "re-upload: $BODY"
[ "$(ballots_held)" = 20 ] || fail "re-upload stored something: $(ballots_held)"
for f in "$T"/b/k1-0002.bundle "$T"/b/k1-0003.bundle "$T"/b/k2-*.bundle; do
    post "$f" application/octet-stream
    [ "$CODE" = 200 ] || fail "upload $f: $CODE $BODY"
done
echo "$BODY" | grep -qF "$(cat "$T/b/k2.expect")" || fail "kiosk 2 ack: $BODY"
post "$T/b/k1-0003.bundle" application/octet-stream
echo "$BODY" | grep -qF "$(cat "$T/b/k1.expect")" || fail "kiosk 1 ack: $BODY"
[ "$(ballots_held)" = 80 ] || fail "held $(ballots_held), expected 80"

# --- receipts ------------------------------------------------------------
n=0
for code in $(cat "$T/b/k1.codes" "$T/b/k2.codes"); do
    typed=$code
    [ $((n % 2)) = 1 ] && typed=$(echo "$code" | tr -d - | tr 'A-Z' 'a-z')
    r=$($C "$URL/v1/receipts/$typed")
    [ "$r" = '{"status":"counted"}' ] || fail "receipt $code: $r"
    n=$((n + 1))
done
[ $n = 80 ] || fail "only $n codes"
unsent=$(head -n 1 "$T/unsent/k1.codes")
r=$($C "$URL/v1/receipts/$unsent")
[ "$r" = '{"status":"not found"}' ] || fail "unsent code: $r"
code=$(head -n 1 "$T/b/k1.codes")
first=$(echo "$code" | cut -c1)
if [ "$first" = 7 ]; then bad="8$(echo "$code" | cut -c2-)"; else bad="7$(echo "$code" | cut -c2-)"; fi
r=$($C -w ' %{http_code}' "$URL/v1/receipts/$bad")
echo "$r" | grep -q '"error":"mistyped".* 400$' || fail "mistyped code: $r"
$C "$URL/receipts/$code?lang=en" | grep -q 'This ballot has been counted' || fail "html en"
$C -H 'Accept-Language: fr-FR,fr;q=0.9' "$URL/receipts?code=$unsent" |
    grep -q "Aucun bulletin ni aucune idée n'a ce code" || fail "html fr not found"
r=$($C -o /dev/null -w '%{http_code}' "$URL/receipts?code=$bad&lang=fr")
[ "$r" = 400 ] || fail "html mistyped: $r"

# --- refusals: status, error, nothing stored, logged ---------------------
refuse() { # FILE TYPE STATUS ERROR [KIOSK]
    post "$1" "$2" "${5:-}"
    [ "$CODE" = "$3" ] || fail "$1 as $2: got $CODE, expected $3: $BODY"
    echo "$BODY" | grep -q "\"error\":\"$4\",\"detail\":\"." || fail "$1: body $BODY"
    [ "$(ballots_held)" = 80 ] || fail "$1: something was stored"
}
refuse "$T/b/k1-0001.bundle" text/plain 415 unsupported-media-type
printf 'not a bundle' >"$T/garbage.bin"
refuse "$T/garbage.bin" application/octet-stream 400 malformed
head -c 100 "$T/b/k1-0002.bundle" >"$T/trunc.bin"
refuse "$T/trunc.bin" application/octet-stream 400 malformed
refuse "$T/tampered.bin" application/octet-stream 422 bad-signature
refuse "$T/foreign.bin" application/octet-stream 403 unknown-kiosk
head -c 17000000 /dev/zero >"$T/big.bin"
refuse "$T/big.bin" application/octet-stream 413 too-large
r=$($C $(kiosk 1) -w ' %{http_code}' -H 'Transfer-Encoding: chunked' \
    -H 'Content-Type: application/octet-stream' --data-binary "@$T/big.bin" "$URL/v1/bundles")
echo "$r" | grep -q '"error":"too-large".* 413$' || fail "chunked oversized body: $r"
# (SRV-N1) a kiosk uploads only its own bundles
refuse "$T/b/k2-0001.bundle" application/octet-stream 403 kiosk-mismatch 1
# (SRV-N1) no kiosk certificate: refused before the body is read (16 MB
# of it would take far longer than the answer)
r=$($C -o "$T/out" -w '%{http_code} %{size_upload}' -H 'Content-Type: application/octet-stream' \
    --data-binary "@$T/big.bin" "$URL/v1/bundles" || true)
case "$r" in 401\ *) ;; *) fail "upload without a client certificate: $r $(cat "$T/out")" ;; esac
grep -q '"error":"no-client-certificate"' "$T/out" || fail "no certificate: $(cat "$T/out")"
[ "$(echo "$r" | cut -d' ' -f2)" -lt 17000000 ] || fail "the whole body was read before refusing: $r"
r=$($C --cert "$D/server.crt" --key "$D/server.key" -o "$T/out" -w '%{http_code}' \
    -H 'Content-Type: application/octet-stream' --data-binary "@$T/b/k1-0001.bundle" \
    "$URL/v1/bundles" || true)
[ "$r" = 403 ] && grep -q '"unknown-kiosk"' "$T/out" || fail "the server's own certificate as a kiosk: $r"
# (SRV-N2) TLS 1.0 and 1.1 are refused; 1.2 is served
if curl -sS --max-time 10 --cacert "$D/authority.crt" --tlsv1.0 --tls-max 1.1 \
    --ciphers 'DEFAULT@SECLEVEL=0' "$URL/v1/health" >/dev/null 2>&1; then
    fail "TLS 1.1 accepted"
fi
curl -sS --max-time 10 --cacert "$D/authority.crt" --tlsv1.2 --tls-max 1.2 "$URL/v1/health" |
    grep -q '"status":"ok"' || fail "TLS 1.2 refused"
$C "$URL/v1/metrics" | tr -d ' \t\n' >"$T/metrics"
for reason in unsupported-media-type malformed bad-signature unknown-kiosk too-large \
    kiosk-mismatch no-client-certificate; do
    grep -q "\"$reason\":[1-9]" "$T/metrics" || fail "refusal $reason not counted: $(cat "$T/metrics")"
done
grep -q '"last_upload":[1-9]' "$T/metrics" || fail "metrics: no last upload"

# --- (SRV-N3) many big uploads at once: memory bounded ---------------------
# 12 uploads of 16 MiB at once, sent slowly: the bodies held together stay
# under the budget (128 MiB); the ones past it are dropped and answered 503
# busy; the server's peak memory stays bounded
head -c 16000000 /dev/zero >"$T/big16.bin"
rm -f "$T"/busy.*
pids=
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
    $C $(kiosk 1) -H 'Expect:' --limit-rate 8M -o "$T/busy.$i" -w '%{http_code}\n' \
        -H 'Content-Type: application/octet-stream' --data-binary "@$T/big16.bin" \
        "$URL/v1/bundles" >"$T/busy.$i.code" 2>/dev/null &
    pids="$pids $!"
done
for p in $pids; do wait "$p" || true; done
busy=$(cat "$T"/busy.*.code | grep -c '^503$' || true)
[ "$busy" -ge 1 ] || fail "12 uploads of 16 MiB at once: none answered busy ($(cat "$T"/busy.*.code | tr '\n' ' '))"
grep -l '"busy"' "$T"/busy.[0-9]* >/dev/null || fail "no busy refusal body"
hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$PID/status")
echo "server_http: 12 uploads of 16 MiB at once: $busy answered busy, server peak RSS $((hwm / 1024)) MiB"
# (a sanitizer build keeps freed memory in quarantine: the bound is for the
# real server)
if ! grep -q __asan_init "$SRV"; then
    [ "$hwm" -lt $((200 * 1024)) ] || fail "server peak RSS $hwm kB under 12 big uploads"
fi

# --- packages ------------------------------------------------------------
$C "$URL/v1/packages" | grep -q '"id":"bp35-demo"' || fail "packages list"
$C -o "$T/pkg" "$URL/v1/packages/bp35-demo"
cmp -s "$T/pkg" "$D/bp35-demo.bpkg" || fail "package file differs"
r=$($C -o /dev/null -w '%{http_code}' "$URL/v1/revocations")
[ "$r" = 404 ] || fail "revocations without a list: $r"
$C "$URL/v1/health" | grep -q '"status":"ok"' || fail "health"

# --- reservations: two kiosks at once, exactly one "reserved" ------------
i=0
while [ $i -lt 5 ]; do
    ps=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    pids=
    for k in 1 2; do
        $C --cert "$D/kiosks/kiosk-35238-0$k.crt" --key "$D/kiosks/kiosk-35238-0$k.key" \
            -H 'Content-Type: application/json' \
            --data "{\"campaign\":\"bp35-demo\",\"pseudonym\":\"$ps\"}" \
            "$URL/v1/reservations" >"$T/res$k" &
        pids="$pids $!"
    done
    for p in $pids; do wait "$p" || fail "reservation request failed"; done
    yes=$(cat "$T/res1" "$T/res2" | grep -c '"reserved"' || true)
    no=$(cat "$T/res1" "$T/res2" | grep -c '"already"' || true)
    [ "$yes" = 1 ] && [ "$no" = 1 ] || fail "reservation race: $(cat "$T/res1" "$T/res2")"
    ! grep -q "$ps" "$T/log" || fail "a pseudonym is in the log"
    i=$((i + 1))
done
r=$($C -o /dev/null -w '%{http_code}' -H 'Content-Type: application/json' \
    --data '{"campaign":"bp35-demo","pseudonym":"00"}' "$URL/v1/reservations")
[ "$r" = 401 ] || fail "reservation without a client certificate: $r"
# (SRV-R3) a kiosk reserving faster than people vote is held back: 10 more
# at once from kiosk 1 (5 done above, 6 at most in a burst)
limited=0
for i in 1 2 3 4 5 6 7 8 9 10; do
    ps=$(od -An -N32 -tx1 /dev/urandom | tr -d ' \n')
    r=$($C $(kiosk 1) -o "$T/res" -w '%{http_code}' -H 'Content-Type: application/json' \
        --data "{\"campaign\":\"bp35-demo\",\"pseudonym\":\"$ps\"}" "$URL/v1/reservations")
    [ "$r" = 429 ] && grep -q '"rate-limited"' "$T/res" && limited=$((limited + 1))
done
[ "$limited" -ge 8 ] || fail "a kiosk reserving 15 pseudonyms at once: only $limited refused"

# --- TLS: the authority's CA and the host name ---------------------------
if curl -sS --max-time 10 --cacert "$T/other/authority.crt" "$URL/v1/health" 2>/dev/null; then
    fail "another CA was accepted"
fi
if curl -sS --max-time 10 --cacert "$D/authority.crt" --resolve "wrong.example:$PORT:127.0.0.1" \
    "https://wrong.example:$PORT/v1/health" 2>/dev/null; then
    fail "a wrong host name was accepted"
fi

# --- (SRV-V1) revoked kiosk: the list published, the server NOT restarted -
"$GEN" bundles "$D" 2 "$T/unsent" 1 2 2
"$GEN" revoke "$D" 2
t0=$(date +%s)
until $C "$URL/v1/health" | grep -q '"revocation_seq":'; do
    [ $(($(date +%s) - t0)) -le 15 ] || fail "revocation not in force 15 s after publication"
    sleep 0.5
done
echo "server_http: revocation in force $(($(date +%s) - t0)) s after publication, no restart"
refuse "$T/unsent/k2-0001.bundle" application/octet-stream 403 revoked-kiosk
$C -o "$T/brl" "$URL/v1/revocations"
cmp -s "$T/brl" "$D/revocations.brl" || fail "revocation list differs"

# --- logs: one line per request, never a code ----------------------------
stop_server
grep -q '^POST /v1/bundles 200 kiosk=[0-9a-f]\{16\} in=[0-9]* out=[0-9]* [0-9.]*ms$' "$T/log" ||
    fail "no upload log line"
for code in $(cat "$T/b/k1.codes"); do
    ! grep -q "$code" "$T/log" || fail "a tracking code is in the log"
done
"$SRV" check --dir "$D" | grep -q '^ok ballots=80 ' || fail "check"
echo "server_http: ok"
