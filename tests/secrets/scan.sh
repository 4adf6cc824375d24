#!/bin/sh
# tests/secrets/scan.sh SOURCE_DIR PATH... - looks for the test suite's own
# secrets in what the tests printed and logged (issue 18, section 4): every
# PIN and passphrase of tests/secrets/known.txt (whole words), the body lines
# of every PEM private key committed in the repository, and any
# "PRIVATE KEY-----" line. PATHs are files (ctest's LastTest.log) or folders
# (the logs the shell tests keep when BORNE_KEEP_LOGS is set: keep_logs.sh).
# Prints each finding as FILE:LINE: what, and exits 1 if there is one; 2 when
# there is nothing to scan (a scan that reads nothing proves nothing).
set -eu
src=${1:?usage: scan.sh SOURCE_DIR PATH...}
shift
[ $# -gt 0 ] || { echo "scan.sh: nothing to scan" >&2; exit 2; }
tmp=$(mktemp -d)
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$tmp" "$0"; rm -rf "$tmp"' EXIT
# the words: known.txt without comments, and the committed keys' body lines
grep -v '^#' "$src/tests/secrets/known.txt" | sed '/^$/d' >"$tmp/words"
( cd "$src" && git ls-files 2>/dev/null || find . -type f ) |
    while read -r f; do
        grep -q -- '-----BEGIN .*PRIVATE KEY-----' "$src/$f" 2>/dev/null || continue
        case $f in *.dict) continue ;; esac
        sed -n '/-----BEGIN .*PRIVATE KEY-----/,/-----END/p' "$src/$f" |
            grep -v -- '-----' | awk 'length($0) >= 24'
    done >"$tmp/keys"
[ -s "$tmp/words" ] || { echo "scan.sh: no known secret to look for" >&2; exit 2; }
n=0
for p in "$@"; do
    [ -e "$p" ] || { echo "scan.sh: $p: no such file or folder" >&2; exit 2; }
    if [ -d "$p" ]; then find "$p" -type f; else echo "$p"; fi
done >"$tmp/files"
[ -s "$tmp/files" ] || { echo "scan.sh: no file to scan" >&2; exit 2; }
bytes=0
while read -r f; do
    bytes=$((bytes + $(wc -c <"$f")))
    grep -a -n -w -F -f "$tmp/words" "$f" | cut -c1-160 | sed "s|^|$f:|; s|\$|  <- a known PIN or passphrase|" >>"$tmp/found" || true
    [ ! -s "$tmp/keys" ] || grep -a -n -F -f "$tmp/keys" "$f" | cut -c1-120 |
        sed "s|^|$f:|; s|\$|  <- a line of a committed private key|" >>"$tmp/found" || true
    grep -a -n -- 'PRIVATE KEY-----' "$f" | cut -c1-120 |
        sed "s|^|$f:|; s|\$|  <- a PEM private key|" >>"$tmp/found" || true
    n=$((n + 1))
done <"$tmp/files"
if [ -s "$tmp/found" ]; then
    echo "secrets found in what the tests printed or logged:"
    cat "$tmp/found"
    exit 1
fi
echo "secrets scan: $n files, $bytes bytes: none of $(wc -l <"$tmp/words") known PINs and passphrases, $(wc -l <"$tmp/keys") private key lines, or a PEM private key"
