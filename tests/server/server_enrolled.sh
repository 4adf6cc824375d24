#!/bin/sh
# server_enrolled.sh - (VERIFY-V9) borne-tally --enrolled DIR: a kiosk enrolled
# that sent nothing refuses certification and is named; the same election
# certifies when only the kiosks that took part are enrolled, or when the
# silent one was revoked (not expected); a petition only notes it; bad
# --enrolled inputs (an empty directory, a file that is not a certificate, a
# certificate of another authority) are refused naming the file, exit 2.
# Usage: server_enrolled.sh BORNE_SERVER SERVER_GEN BORNE_TALLY VECTORS
set -eu
SRV=$1
GEN=$2
TALLY=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/server_enrolled.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
PID=0
. "$(dirname "$0")/lib.sh"

D=$T/d
"$SRV" init-demo "$D" >/dev/null
"$SRV" init-demo "$T/other" >/dev/null
mkdir "$T/b" "$T/one" "$T/empty" "$T/bad" "$T/foreign"
"$GEN" election "$D" 1 "$T/b" 2 4           # kiosk 1 only: 2 bundles, its report
cp "$D/kiosks/kiosk-35238-01.crt" "$T/one/"
mkdir "$T/two"
cp "$D"/kiosks/*.crt "$T/two/"   # before kiosk 2 is revoked below
TA="--authority $D/authority.crt --package $D/bp35-demo.bpkg"

expect_rc 1 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --enrolled "$D/kiosks" "$T/b"
grep -q "^PROBLEM kiosk kiosk-35238-02, .*kiosk-35238-02.crt: enrolled, but no bundle from it verified" \
    "$T/v.err" || fail "the silent kiosk is not named: $(cat "$T/v.err")"
[ "$(grep -c '^PROBLEM' "$T/v.err")" = 1 ] || fail "more than one problem: $(cat "$T/v.err")"

expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --enrolled "$T/one" "$T/b"
grep -q '^certified: no problem found' "$T/v.out" || fail "kiosk 1 alone: $(cat "$T/v.out")"
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA "$T/b"

# revoked: not expected
"$GEN" revoke "$D" 2 >/dev/null
[ -f "$D/revocations.brl" ] || fail "server_gen revoke wrote no revocations.brl"
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --revocations "$D/revocations.brl" \
    --enrolled "$D/kiosks" "$T/b"
grep -q "kiosk-35238-02 .* is revoked: not expected" "$T/v.err" || fail "revoked: $(cat "$T/v.err")"

# --provisional still publishes, marked
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --enrolled "$D/kiosks" --provisional "$T/b"
grep -q '^PROVISIONAL' "$T/v.out" || fail "provisional: $(cat "$T/v.out")"

# a petition, counted while it runs: a silent kiosk is a note only
mkdir "$T/p"
"$GEN" petition "$D" 1 "$T/p" 3 >/dev/null
rm -f "$T"/p/*.codes   # the bundle alone
expect_rc 0 "$T/v.out" "$T/v.err" "$TALLY" verify --authority "$D/authority.crt" \
    --package "$D/pet35-demo.bpkg" --enrolled "$T/two" "$T/p"
grep -q "^NOTE kiosk kiosk-35238-02 (.*kiosk-35238-02.crt): enrolled, nothing received from it yet" \
    "$T/v.out" || fail "petition: $(cat "$T/v.out")"

# bad inputs
expect_rc 2 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --enrolled "$T/empty" "$T/b"
grep -q "empty: no kiosk certificate" "$T/v.err" || fail "empty: $(cat "$T/v.err")"
echo "not a certificate" >"$T/bad/k.crt"
expect_rc 2 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --enrolled "$T/bad" "$T/b"
grep -q "bad/k.crt: .*not one PEM certificate" "$T/v.err" || fail "bad: $(cat "$T/v.err")"
cp "$T/other/kiosks/kiosk-35238-01.crt" "$T/foreign/"
expect_rc 2 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --enrolled "$T/foreign" "$T/b"
grep -q "foreign/kiosk-35238-01.crt: signed by another key" "$T/v.err" || fail "foreign: $(cat "$T/v.err")"
expect_rc 2 "$T/v.out" "$T/v.err" "$TALLY" verify $TA --enrolled "$T/nowhere" "$T/b"
grep -q "nowhere: cannot read the directory" "$T/v.err" || fail "missing dir: $(cat "$T/v.err")"
echo "PASS: enrolled kiosks (silent one named, revoked one not expected, bad inputs refused)"
