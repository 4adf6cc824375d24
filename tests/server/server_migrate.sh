#!/bin/sh
# server_migrate.sh - a real schema-2 store (tests/vectors/server/v2.db, on
# a copy) under a server of this version: it opens (migrated to schema 5,
# SRV-M1; its campaign secrets dropped, SRV-S6), keeps serving (the old receipts are found, new bundles are accepted
# and kept with their bytes), and `borne-server export` and `borne-tally
# --server-db` name each bundle it holds without bytes, with its kiosk;
# --provisional counts the rest. Usage: server_migrate.sh BORNE_SERVER
# SERVER_GEN BORNE_TALLY VECTORS_DIR
set -eu
SRV=$1
GEN=$2
TALLY=$3
VEC=$4
T=$(mktemp -d "${TMPDIR:-/tmp}/server_migrate.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ "$PID" = 0 ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
PID=0
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "the sqlite3 command-line tool is needed (scripts/setup.sh)"

# the fixture's bundles (tests/vectors/server/README.md)
PET=001df1327162936623e5e6d01fd4b192e267f178db19e32925a87ce7b6fc39f1
BP="388eef98bc486c42915374324d59d6e93d9f5aa2f6e46f4dd263405e9538848e
8cda397cd18eaaa7f240e5b91d71fe8825b76b7259f3e0c6077c0adfade5d977
fcafd2a084e3360e30719aa2666a3f74d67e31a7d4437b4de70a17af1fd547f4"
K1=760baedb7d81396a8db94f50d37f24d474cae3f03291aa363bf2e046cd81b69a
K2=6ab909b95e87346f2cfe316deaff788c03eef6964d2af5670c993c7a584fcaeb
kiosk_of() { [ "$1" = 8cda397cd18eaaa7f240e5b91d71fe8825b76b7259f3e0c6077c0adfade5d977 ] && echo $K2 || echo $K1; }

D=$T/d
"$SRV" init-demo "$D" >/dev/null
cp "$VEC/server/v2.db" "$D/server.db"
[ "$(sqlite3 "$D/server.db" 'PRAGMA user_version')" = 2 ] || fail "the fixture is not schema 2"
mkdir "$T/b" "$T/export" "$T/export-bp"
"$GEN" election "$D" 1 "$T/b" 2 3

# --- keeps serving ------------------------------------------------------------
start_server "$D"
[ "$(sqlite3 "$D/server.db" 'PRAGMA user_version')" = 5 ] || fail "not migrated to schema 5"
[ "$(sqlite3 "$D/server.db" "SELECT count(*) FROM sqlite_schema WHERE name = 'secrets'")" = 0 ] ||
    fail "the campaign secrets of schema 3 are still in the store (SRV-S6)"
C="curl -sS --max-time 30 --cacert $D/authority.crt"
for code in $(cat "$VEC/server/v2.codes"); do
    r=$($C "$URL/v1/receipts/$code")
    [ "$r" = '{"status":"counted"}' ] || fail "receipt $code of the schema-2 store: $r"
done
for f in "$T"/b/*.bundle; do
    code=$($C --cert "$D/kiosks/kiosk-35238-01.crt" --key "$D/kiosks/kiosk-35238-01.key" \
        -o "$T/ack" -w '%{http_code}' -H 'Content-Type: application/octet-stream' \
        --data-binary "@$f" "$URL/v1/bundles")
    [ "$code" = 200 ] || fail "upload $f to the migrated store: $code $(cat "$T/ack")"
done
# the fixture's 8 ballots and the 6 new ones
$C "$URL/v1/metrics" | tr -d ' \t\n' | grep -q '"campaign":"bp35-demo","ballots":14,' ||
    fail "metrics: $($C "$URL/v1/metrics")"
stop_server
expect_rc 0 "$T/check.out" "$T/check.err" "$SRV" check --dir "$D"

# --- (EXPORT-E3) export names what it cannot write ------------------------------------------
expect_rc 1 "$T/e.out" "$T/e.err" "$SRV" export --dir "$D" "$T/export"
grep -qx 'export: 3 written, 0 already there, 4 held without bytes, 0 failed' "$T/e.out" ||
    fail "export: $(cat "$T/e.out")"
for h in $PET $BP; do
    grep -qF "$h.bundle: held without its bytes (accepted before store schema 3), campaign" "$T/e.out" ||
        fail "export does not name $h: $(cat "$T/e.out")"
    grep -F "$h.bundle" "$T/e.out" | grep -qF "kiosk $(kiosk_of $h)" ||
        fail "export does not name the kiosk of $h: $(cat "$T/e.out")"
done
for f in "$T"/b/*.bundle; do
    h=$(sha256sum "$f" | cut -c1-64)
    cmp -s "$f" "$T/export/$h.bundle" || fail "export: $h.bundle"
done
expect_rc 1 "$T/e.out" "$T/e.err" "$SRV" export --dir "$D" --campaign bp35-demo "$T/export-bp"
grep -qx 'export: 3 written, 0 already there, 3 held without bytes, 0 failed' "$T/e.out" ||
    fail "export --campaign bp35-demo: $(cat "$T/e.out")"
! grep -q "$PET" "$T/e.out" || fail "export --campaign bp35-demo names the petition's bundle"

# --- the tally refuses to certify, naming each of them ---------------------------
TA="--authority $D/authority.crt --package $D/bp35-demo.bpkg"
expect_rc 1 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --server-db "$D/server.db"
for h in $BP; do
    k=$(kiosk_of $h | cut -c1-16)
    grep -qF "PROBLEM kiosk with key id $k..., $D/server.db: bundle $h, bundle: held by the server without its bytes (accepted before store schema 3)" "$T/v.err" ||
        fail "verify does not name $h and its kiosk: $(cat "$T/v.err")"
done
! grep -q "$PET" "$T/v.err" || fail "verify of bp35-demo names the petition's bundle"
grep -q '^bundles 6, refused 3$' "$T/v.err" || fail "verify: $(cat "$T/v.err")"
grep -q '^problems 3$' "$T/v.err" || fail "verify: $(cat "$T/v.err")"
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --provisional --server-db "$D/server.db"
grep -q '^ballots 6 distinct, 6 counted$' "$T/v.out" || fail "verify --provisional: $(cat "$T/v.out")"
# the petition's bundle, for the petition's tally
TP="--authority $D/authority.crt --package $D/pet35-demo.bpkg"
expect_rc 1 "$T/v.out" "$T/v.err" "$TALLY" verify $TP --server-db "$D/server.db"
grep -qF "$D/server.db: bundle $PET, bundle: held by the server without its bytes" "$T/v.err" ||
    fail "petition verify: $(cat "$T/v.err")"
# what was exported verifies on its own
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA "$T/export-bp"
echo "server_migrate: ok"
