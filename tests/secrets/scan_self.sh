#!/bin/sh
# scan_self.sh SOURCE_DIR - tests/secrets/scan.sh finds what it must (a PIN
# as a word, a passphrase, a committed key's line, any PEM private key) and
# nothing else (a PIN's digits inside a longer number or a hex string).
set -eu
src=${1:?usage: scan_self.sh SOURCE_DIR}
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
fail() { echo "FAIL: $*"; exit 1; }
scan() { sh "$src/tests/secrets/scan.sh" "$src" "$@" >"$T/out" 2>&1; }
printf 'borne: agent in\nhash 9a482913bc 14829130\n' >"$T/clean.log"
scan "$T/clean.log" || fail "a clean log: $(cat "$T/out")"
mkdir "$T/kept"
cp "$T/clean.log" "$T/kept/a.log"
printf 'error: wrong PIN 482913\n' >"$T/kept/b.log"
scan "$T/kept" && fail "a PIN as a word was not found"
grep -q 'b.log:1:.*known PIN' "$T/out" || fail "the finding names no file and line: $(cat "$T/out")"
printf 'passphrase was: une phrase de passe\n' >"$T/p.log"
scan "$T/p.log" && fail "a passphrase was not found"
sed -n 2p "$src/assets/campaigns/demo-controller.key" >"$T/k.log"
scan "$T/k.log" && fail "a line of the demo controller key was not found"
printf -- '-----BEGIN EC PRIVATE KEY-----\n' >"$T/pem.log"
scan "$T/pem.log" && fail "a PEM private key was not found"
rc=0; scan "$T/none" || rc=$?; [ $rc = 2 ] || fail "a missing path must be exit 2, not $rc"
echo "scan.sh finds a PIN, a passphrase, a key line and a PEM key, and not digits in a hash"
