#!/bin/sh
# server_tally.sh - the tally reads what the server holds: bundles uploaded
# over HTTPS and imported from a folder; `borne-tally publish --server-db`,
# `publish` on the folder `borne-server export` wrote and `publish` on the
# original bundle files give byte-identical results.json (and CSV, tracking
# codes), and `borne-tally check` agrees with each. Then the store is
# altered with the sqlite3 CLI: one byte of one ballot of a stored bundle
# (refused, the kiosk and the ballot named), a bundle's bytes deleted (held
# without bytes, named), a bundle deleted altogether (the kiosk's closing
# report says what is missing). Bad --server-db inputs: a clear message
# naming the file, exit 1, no crash, nothing created.
# Usage: server_tally.sh BORNE_SERVER SERVER_GEN BORNE_TALLY
set -eu
SRV=$1
GEN=$2
TALLY=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/server_tally.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ "$PID" = 0 ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
PID=0
. "$(dirname "$0")/lib.sh"
command -v sqlite3 >/dev/null || fail "the sqlite3 command-line tool is needed (scripts/setup.sh)"

D=$T/d
"$SRV" init-demo "$D" >/dev/null
mkdir "$T/b" "$T/up" "$T/export"
# kiosk 1: 3 bundles of 4 ballots and its closing report (imported);
# kiosk 2: 2 bundles of 5 ballots and its closing report (uploaded)
"$GEN" election "$D" 1 "$T/b" 3 4
"$GEN" election "$D" 2 "$T/up" 2 5
"$SRV" import --dir "$D" "$T/b" >"$T/import.out" 2>>"$T/log" || fail "import: $(cat "$T/import.out")"
start_server "$D"
for f in "$T"/up/*.bundle; do
    code=$(curl -sS --max-time 30 --cacert "$D/authority.crt" -o "$T/ack" -w '%{http_code}' \
        --cert "$D/kiosks/kiosk-35238-02.crt" --key "$D/kiosks/kiosk-35238-02.key" \
        -H 'Content-Type: application/octet-stream' --data-binary "@$f" "$URL/v1/bundles")
    [ "$code" = 200 ] || fail "upload $f: $code $(cat "$T/ack")"
done
cp "$T"/up/*.bundle "$T/b/"

TA="--authority $D/authority.crt --package $D/bp35-demo.bpkg --track-key $D/bp35-demo.track"
# (SRVDB-T1) read-only, while the server runs
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --server-db "$D/server.db"
grep -q '^certified: no problem found' "$T/v.out" || fail "verify --server-db: $(cat "$T/v.out")"
grep -q '^bundles 7, refused 0$' "$T/v.out" || fail "verify --server-db: $(cat "$T/v.out")"
stop_server

expect_rc 0 "$T/e.out" "$T/e.err" "$SRV" export --dir "$D" "$T/export"
grep -qx 'export: 7 written, 0 already there, 0 held without bytes, 0 failed' "$T/e.out" ||
    fail "export: $(cat "$T/e.out")"
# every file is a bundle sent, byte for byte, named by its SHA-256
for f in "$T"/b/*.bundle; do
    h=$(sha256sum "$f" | cut -c1-64)
    cmp -s "$f" "$T/export/$h.bundle" || fail "export: $h.bundle is not $f"
done
[ "$(ls "$T/export" | wc -l)" = 7 ] || fail "export: $(ls -a "$T/export")"
# (EXPORT-E1) written under a dot name, then renamed: nothing temporary left
! ls -a "$T/export" | grep -q '\.tmp' || fail "export left a temporary file"
# (EXPORT-E2) again: everything already there; a different file in the way is named
expect_rc 0 "$T/e.out" "$T/e.err" "$SRV" export --dir "$D" "$T/export"
grep -qx 'export: 0 written, 7 already there, 0 held without bytes, 0 failed' "$T/e.out" ||
    fail "export again: $(cat "$T/e.out")"
victim=$(ls "$T/export" | head -n 1)
cp "$T/export/$victim" "$T/keep"
printf 'x' >>"$T/export/$victim"
expect_rc 1 "$T/e.out" "$T/e.err" "$SRV" export --dir "$D" "$T/export"
grep -qF "$T/export/$victim: already there with other bytes" "$T/e.out" || fail "export: $(cat "$T/e.out")"
grep -qx 'export: 0 written, 6 already there, 0 held without bytes, 1 failed' "$T/e.out" ||
    fail "export: $(cat "$T/e.out")"
cmp -s "$T/export/$victim" "$T/keep" && fail "export: the different file was overwritten"
cp "$T/keep" "$T/export/$victim"

# --- three inputs, one result -------------------------------------------------
before=$(sha256sum <"$D/server.db")
expect_rc 0 "$T/p.out" "$T/p.err" "$TALLY" publish $TA --server-db "$D/server.db" -o "$T/p-db"
expect_rc 0 "$T/p.out" "$T/p.err" "$TALLY" publish $TA -o "$T/p-export" "$T/export"
expect_rc 0 "$T/p.out" "$T/p.err" "$TALLY" publish $TA -o "$T/p-files" "$T/b"
grep -q '^."ballots":[[:space:]]*22,' "$T/p-db/results.json" || fail "results.json: $(head -c 800 "$T/p-db/results.json")"
for f in results.json tracking-codes.txt $(cd "$T/p-db" && ls results-*.csv); do
    cmp "$T/p-db/$f" "$T/p-export/$f" || fail "$f: --server-db and export differ"
    cmp "$T/p-db/$f" "$T/p-files/$f" || fail "$f: --server-db and the bundle files differ"
done
# (SRVDB-T1) the tally never writes the store
[ "$(sha256sum <"$D/server.db")" = "$before" ] || fail "borne-tally changed server.db"
for p in p-db p-export p-files; do
    expect_rc 0 "$T/c.out" "$T/c.err" "$TALLY" check "$T/$p"
done

# --- the store altered ----------------------------------------------------------
sqlite3 "$D/server.db" ".backup '$T/clean.db'"
B1=$(sha256sum "$T/b/k1-0002.bundle" | cut -c1-64)
# (a) one byte of the first ballot's signature in kiosk 1's second bundle
sqlite3 "$D/server.db" "SELECT writefile('$T/blob', bytes) FROM bundle_bytes WHERE digest = x'$B1'" >/dev/null
cmp -s "$T/blob" "$T/b/k1-0002.bundle" || fail "the stored bytes are not the bundle's"
c=$(od -An -tu1 -j29 -N2 "$T/blob" | awk '{print $1 * 256 + $2}')
l=$(od -An -tu1 -j$((47 + c)) -N2 "$T/blob" | awk '{print $1 * 256 + $2}')
at=$((47 + c + 2 + l - 5))   # inside the ballot's signature (its last 64 bytes)
id=$(od -An -tx1 -j$((47 + c + 2 + 12)) -N16 "$T/blob" | tr -d ' \n')
old=$(od -An -tu1 -j$at -N1 "$T/blob" | tr -d ' ')
printf "\\$(printf %03o $(( old ^ 1 )))" | dd of="$T/blob" bs=1 seek=$at conv=notrunc 2>/dev/null
cmp -s "$T/blob" "$T/b/k1-0002.bundle" && fail "the byte was not changed"
sqlite3 "$D/server.db" "UPDATE bundle_bytes SET bytes = readfile('$T/blob') WHERE digest = x'$B1'"
expect_rc 1 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --server-db "$D/server.db"
grep -q 'NOT CERTIFIED' "$T/v.err" || fail "verify: $(cat "$T/v.err")"
grep -qF "PROBLEM kiosk kiosk-35238-01, $D/server.db: bundle $B1, ballot $id: signature does not verify" "$T/v.err" ||
    fail "the altered ballot is not named: $(cat "$T/v.err")"
grep -qF "PROBLEM kiosk kiosk-35238-01, $D/server.db: bundle $B1, bundle: refused (signature does not verify)" "$T/v.err" ||
    fail "the altered bundle is not named: $(cat "$T/v.err")"
grep -qF "PROBLEM kiosk kiosk-35238-01, $D/server.db: bundle $B1, bundle: its bytes hash to" "$T/v.err" ||
    fail "the digest mismatch is not named: $(cat "$T/v.err")"
grep -q "PROBLEM kiosk kiosk-35238-01, .*closing report: reports 12 ballots, the bundles hold 8: 4 missing" "$T/v.err" ||
    fail "kiosk 1's closing report: $(cat "$T/v.err")"
expect_rc 1 "$T/p.out" "$T/p.err" "$TALLY" publish $TA --server-db "$D/server.db" -o "$T/p-bad"
[ ! -e "$T/p-bad/results.json" ] || fail "publish wrote results.json when not certified"

# (b) a bundle's bytes deleted: held without bytes, named with its kiosk
sqlite3 "$D/server.db" ".restore '$T/clean.db'"
sqlite3 "$D/server.db" "DELETE FROM bundle_bytes WHERE digest = x'$B1'"
expect_rc 1 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --server-db "$D/server.db"
grep -qF "PROBLEM kiosk kiosk-35238-01, $D/server.db: bundle $B1, bundle: held by the server without its bytes" "$T/v.err" ||
    fail "the bundle without bytes is not named: $(cat "$T/v.err")"
grep -q '^bundles 7, refused 1$' "$T/v.err" || fail "verify: $(cat "$T/v.err")"
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --provisional --server-db "$D/server.db"
grep -q '^PROVISIONAL: not certified' "$T/v.out" || fail "verify --provisional: $(cat "$T/v.out")"

# (c) the bundle deleted altogether: only the closing report can tell
sqlite3 "$D/server.db" "DELETE FROM bundles WHERE digest = x'$B1'"
expect_rc 1 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --server-db "$D/server.db"
grep -q "PROBLEM kiosk kiosk-35238-01, $D/server.db: bundle [0-9a-f]*, closing report: reports 12 ballots, the bundles hold 8: 4 missing" "$T/v.err" ||
    fail "the missing ballots are not reported: $(cat "$T/v.err")"
grep -q "reports 12 register entries, the bundles hold 8" "$T/v.err" || fail "verify: $(cat "$T/v.err")"
grep -q '^bundles 6, refused 0$' "$T/v.err" || fail "verify: $(cat "$T/v.err")"
! grep -q "$B1" "$T/v.err" || fail "verify names a bundle it cannot know of"

# --- bad inputs -------------------------------------------------------------------
# bad_db FILE WORDS: exit 1, a message naming FILE and WORDS, no sanitizer report
bad_db() {
    expect_rc 1 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --server-db "$1"
    grep -qF "$1" "$T/v.err" || fail "--server-db $1: the file is not named: $(cat "$T/v.err")"
    grep -qF "$2" "$T/v.err" || fail "--server-db $1: no '$2': $(cat "$T/v.err")"
    [ ! -s "$T/v.out" ] || fail "--server-db $1: output on stdout: $(cat "$T/v.out")"
}
bad_db "$T/missing.db" "cannot open"
[ ! -e "$T/missing.db" ] || fail "--server-db created the missing file"
printf 'these are not the bytes of a database, but they are more than a hundred of them, %s\n' \
    "so that SQLite reads a header and refuses it" >"$T/text.db"
bad_db "$T/text.db" "not a SQLite database"
sqlite3 "$T/other.db" "CREATE TABLE t(a); INSERT INTO t VALUES (1);"
bad_db "$T/other.db" "not a borne-server store of schema 3"
: >"$T/empty.db"
bad_db "$T/empty.db" "not a borne-server store of schema 3"
[ ! -s "$T/empty.db" ] || fail "--server-db wrote into an empty file"
mkdir "$T/adir"
bad_db "$T/adir" "$T/adir"
expect_rc 2 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --server-db "$D/server.db" "$T/b"
echo "server_tally: ok"
