#!/bin/sh
# server_docs.sh - the examples of docs/api.md run as written (every ```sh
# block, in order), with only the paths and the port substituted, and give
# the answers the page shows.
# Usage: server_docs.sh BORNE_SERVER SERVER_GEN API_MD
set -eu
SRV=$1
GEN=$2
API=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/server_docs.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ -f "$T/pid" ] && kill $(cat "$T/pid") 2>/dev/null; rm -rf "$T"' EXIT
BIN=$(dirname "$SRV")
[ "$(dirname "$GEN")" = "$BIN" ] || { echo "server_gen must sit beside borne-server"; exit 1; }
PORT=$((20000 + $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % 40000))
awk '/^```sh$/ {on = 1; next} /^```$/ {on = 0} on' "$API" |
    sed -e "s|build/server/|$BIN/|g" -e "s|/tmp/borne-demo|$T/demo|g" \
        -e "s|/tmp/borne-bundles|$T/bundles|g" -e "s|/tmp/bp35-demo.bpkg|$T/pkg|g" \
        -e "s|8443|$PORT|g" >"$T/examples.sh"
echo 'echo $! >"'"$T"'/pid"' >>"$T/examples.sh"
sh "$T/examples.sh" >"$T/out" 2>"$T/err" || true
fail() {
    echo "FAIL: $*" >&2
    cat "$T/examples.sh" "$T/out" >&2
    tail -n 20 "$T/err" >&2
    exit 1
}
for want in '"ballots":5,"register":5,"reports":0' 'unsupported-media-type' \
    '"id":"bp35-demo"' '"not-found"' '{"status":"counted"}' '{"status":"not found"}' \
    '"error":"mistyped"' 'This ballot has been counted' 'Ce bulletin a été compté' \
    '{"status":"reserved"}' '{"status":"already"}' '"status":"ok"' '"refusals"' \
    'k1-0002.bundle: accepted (10 new items)' 'k1.codes: refused' \
    '"campaign":"pet35-demo","kiosk":' '"ballot_ids_digest":' '"signatures":3,"added":3,"time_ms":' \
    '"campaign":"pet35-demo","signatures":3,"cantons":' '"threshold":1000,"min_cantons":3,' \
    '"reached":false,"reached_on":null,' \
    'export: 3 written, 0 already there, 0 held without bytes, 0 failed'; do
    grep -qF "$want" "$T/out" || fail "docs/api.md examples: no \"$want\" in the output"
done
[ "$(grep -cF '{"status":"counted"}' "$T/out")" -ge 2 ] ||
    fail "docs/api.md examples: the petition signature's receipt is not counted"
cmp -s "$T/pkg" "$T/demo/bp35-demo.bpkg" || fail "downloaded package differs"
for f in "$T"/bundles/export/*.bundle; do
    h=$(sha256sum "$f" | cut -c1-64)
    [ "$(basename "$f")" = "$h.bundle" ] || fail "export: $f is not named by its SHA-256"
done
echo "server_docs: ok"
