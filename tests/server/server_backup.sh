#!/bin/sh
# server_backup.sh - (BACKUP-B1) nothing lost when the server's disk dies:
# borne-server serves, two kiosks upload, `borne-server backup` runs while
# uploads go on, the server directory is destroyed, `borne-server restore`
# brings it back on a new folder, and every ballot acknowledged before the
# backup is found (counts, receipts, the store's check). Then the attacks on
# a backup: a bundle's bytes changed, a bundle missing, an unfinished copy,
# a restore over a live store; each refused with its reason.
# Usage: server_backup.sh BORNE_SERVER SERVER_GEN
set -eu
SRV=$1
GEN=$2
T=$(mktemp -d "${TMPDIR:-/tmp}/server_backup.XXXXXX")
PID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID != 0 ] && kill $PID 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/lib.sh"

D=$T/srv
"$SRV" init-demo "$D" >/dev/null
mkdir "$T/b"
"$GEN" bundles "$D" 1 "$T/b" 8 40 40
"$GEN" bundles "$D" 2 "$T/b" 8 40 40

upload() { # upload FILE: 0 if acknowledged
    k=$(basename "$1" | sed 's/^k\([0-9]\)-.*/\1/')
    code=$(curl -s --max-time 30 --cacert "$D/authority.crt" -o "$T/ack" -w '%{http_code}' \
        --cert "$D/kiosks/kiosk-35238-0$k.crt" --key "$D/kiosks/kiosk-35238-0$k.key" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$1" \
        "$URL/v1/bundles" || true)
    [ "$code" = 200 ] || fail "$1: status $code $(cat "$T/ack" 2>/dev/null)"
}

start_server "$D"
health=$(curl -sS --cacert "$D/authority.crt" "$URL/v1/health")
echo "$health" | grep -q '"backup_verified_ms":0' || fail "no backup yet, health says $health"
# kiosk 1 uploads everything; kiosk 2 uploads while the backup is taken
for f in "$T"/b/k1-*.bundle; do upload "$f"; done
( for f in "$T"/b/k2-*.bundle; do upload "$f"; done; touch "$T/k2.done" ) &
UP=$!
out=$("$SRV" backup --dir "$D" "$T/backups" 2>&1) || fail "backup: $out"
wait $UP || fail "kiosk 2's uploads"
echo "$out" | grep -q '^backup .*/server-[0-9-]*: [0-9]* bundle(s), every one present and verified$' ||
    fail "backup said: $out"
B=$(echo "$out" | sed 's/^backup \(.*\): [0-9]* bundle.*/\1/')
[ "$(stat -c %a "$T/backups")" = 700 ] || fail "backup folder mode $(stat -c %a "$T/backups")"
n_backup=$(sed -n 's/^bundles //p' "$B/BACKUP")
health=$(curl -sS --cacert "$D/authority.crt" "$URL/v1/health")
t_backup=$(sed -n 's/^time-ms //p' "$B/BACKUP")
echo "$health" | grep -q "\"backup_verified_ms\":$t_backup" ||
    fail "health does not give the backup's time $t_backup: $health"
# a second backup once every upload is acknowledged: it holds them all
sleep 1
out=$("$SRV" backup --dir "$D" "$T/backups" 2>&1) || fail "backup 2: $out"
B2=$(echo "$out" | sed 's/^backup \(.*\): [0-9]* bundle.*/\1/')
n2=$(sed -n 's/^bundles //p' "$B2/BACKUP")
[ "$n2" -ge "$n_backup" ] || fail "second backup holds $n2 bundles, first $n_backup"
# what the server acknowledged, before its disk dies
before=$("$SRV" check --dir "$D")
stop_server
PID=0

# the disk dies: the whole server directory is gone
rm -rf "$D"
out=$("$SRV" restore --dir "$D" "$B2" 2>&1) || fail "restore: $out"
echo "$out" | grep -q "^restored .* into $D: $n2 bundle(s) verified$" || fail "restore said: $out"
[ "$(stat -c %a "$D")" = 700 ] || fail "restored folder mode $(stat -c %a "$D")"
after=$("$SRV" check --dir "$D")
[ "$after" = "$before" ] || fail "after the restore: $after; before: $before"
echo "$after" | grep -q '^ok ballots=640 register=640 ' || fail "check: $after"
start_server "$D"
n=0
for code in $(sed -n '1~8p' "$T/b/k1.codes" "$T/b/k2.codes"); do
    r=$(curl -sS --cacert "$D/authority.crt" "$URL/v1/receipts/$code")
    [ "$r" = '{"status":"counted"}' ] || fail "receipt $code after the restore: $r"
    n=$((n + 1))
done
# every acknowledgement is the same again: a kiosk re-sending its last
# bundle finds its counts and ballot-id digest unchanged
for k in 1 2; do
    last=$(ls "$T"/b/k$k-*.bundle | tail -n 1)
    upload "$last"
    grep -qF "$(cat "$T/b/k$k.expect")" "$T/ack" || fail "kiosk $k: $(cat "$T/ack")"
done
stop_server
PID=0

# --- attacks on a backup ------------------------------------------------------
refused() { # refused NAME EXPECTED_TEXT COMMAND...
    name=$1 says=$2
    shift 2
    if out=$("$@" 2>&1); then fail "$name: accepted: $out"; fi
    echo "$out" | grep -qF "$says" || fail "$name: '$out' does not say '$says'"
}
# a restore over a live store
refused "restore over a store" "holds a store already" "$SRV" restore --dir "$D" "$B2"
# a bundle's bytes changed in the copy
cp -r "$B2" "$T/evil1"
python3 - "$T/evil1/server.db" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
d, b = db.execute("SELECT digest, bytes FROM bundle_bytes LIMIT 1").fetchone()
b = bytearray(b); b[len(b) // 2] ^= 1
db.execute("UPDATE bundle_bytes SET bytes = ? WHERE digest = ?", (bytes(b), d))
db.commit()
PYEOF
refused "bytes changed" "hash to another digest" "$SRV" verify-backup "$T/evil1"
refused "restore of bytes changed" "hash to another digest" "$SRV" restore --dir "$T/r1" "$T/evil1"
[ ! -e "$T/r1/server.db" ] || fail "a refused restore left a store"
# a bundle gone from the copy
cp -r "$B2" "$T/evil2"
python3 - "$T/evil2/server.db" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.execute("DELETE FROM bundle_bytes WHERE digest = (SELECT digest FROM bundle_bytes LIMIT 1)")
db.commit()
PYEOF
refused "bundle missing" "was acknowledged but is not in the copy" "$SRV" verify-backup "$T/evil2"
# the list shortened to hide it
cp -r "$B2" "$T/evil3"
sed -i '1d' "$T/evil3/digests"
refused "list shortened" "BACKUP says" "$SRV" verify-backup "$T/evil3"
# a copy that never finished
cp -r "$B2" "$T/evil4"
rm "$T/evil4/BACKUP"
refused "unfinished" "not a finished backup" "$SRV" verify-backup "$T/evil4"
# the untouched backup still verifies
"$SRV" verify-backup "$B2" >/dev/null || fail "verify-backup of the good copy"
echo "server_backup: ok: $n_backup bundles in the backup taken while serving, $n2 in the next;" \
    "destroyed, restored, $n receipts found; 5 attacks refused"
