#!/bin/sh
# admin_cli.sh - borne-admin as a technician runs it: authority, campaign
# build, sign, verify, show; every refusal with its message and exit code;
# the signed package checked with the openssl command-line tool.
# Usage: admin_cli.sh BORNE_ADMIN SOURCE_DIR
set -eu
admin=${1:?usage: admin_cli.sh BORNE_ADMIN SOURCE_DIR}
src=${2:?usage: admin_cli.sh BORNE_ADMIN SOURCE_DIR}
src=$(cd "$src" && pwd)
tmp=$(mktemp -d)
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$tmp" "$0"; rm -rf "$tmp"' EXIT
fail=0

# expect CODE "MESSAGE" CMD...: runs CMD, wants exit CODE and MESSAGE in its output
expect() {
    code=$1 msg=$2
    shift 2
    set +e
    "$@" >"$tmp/out" 2>&1
    got=$?
    set -e
    if [ "$got" -ne "$code" ] || { [ -n "$msg" ] && ! grep -qF -- "$msg" "$tmp/out"; }; then
        echo "FAIL: $*"
        echo "  wanted exit $code and: $msg"
        echo "  got exit $got:"
        sed 's/^/    /' "$tmp/out"
        fail=1
    fi
}

printf 'une phrase de passe\n' >"$tmp/pass"
printf 'une autre phrase\n' >"$tmp/wrong"

# --- help and usage -------------------------------------------------------------
expect 0 "authority init" "$admin" --help
expect 0 "exit codes" "$admin" campaign build --help
expect 2 "usage: borne-admin campaign sign" "$admin" campaign sign "$tmp/x.json"
expect 2 'unknown command "kiosk fly"' "$admin" kiosk fly

# --- the authority ----------------------------------------------------------------
expect 1 "fewer than 10 characters" sh -c "printf 'court\n' | '$admin' authority init '$tmp/auth' --passphrase-fd 0"
expect 1 "no passphrase: run this on a terminal" sh -c "'$admin' authority init '$tmp/auth' </dev/null"
expect 0 "fingerprint" "$admin" authority init "$tmp/auth" --name Autorite-35 \
    --from 2026-12-01 --until 2031-12-31 --passphrase-file "$tmp/pass"
expect 1 "already holds an authority" "$admin" authority init "$tmp/auth" --passphrase-file "$tmp/pass"
[ "$(stat -c %a "$tmp/auth")" = 700 ] || { echo "FAIL: authority folder not 0700"; fail=1; }
[ "$(stat -c %a "$tmp/auth/authority.key.enc")" = 600 ] || { echo "FAIL: key not 0600"; fail=1; }
expect 0 "valid        2026-12-01 to 2031-12-31" "$admin" authority show "$tmp/auth"
fpr=$("$admin" authority show "$tmp/auth" --json | sed -n 's/.*"sha256": "\([0-9a-f]*\)".*/\1/p')
ossl=$(openssl x509 -in "$tmp/auth/authority.crt" -outform DER | sha256sum | cut -d' ' -f1)
[ "$fpr" = "$ossl" ] || { echo "FAIL: authority show's sha256 $fpr is not openssl's $ossl"; fail=1; }
expect 0 "OK" openssl verify -CAfile "$tmp/auth/authority.crt" "$tmp/auth/authority.crt"

# --- a campaign ---------------------------------------------------------------------
expect 0 "built $tmp/bp.json: campaign bp35-essai, 12 projects, 332 communes" \
    "$admin" campaign build "$src/campaign.json" -o "$tmp/bp.json"
expect 0 "" cmp "$tmp/images/jardin.png" "$src/images/jardin.png"
"$admin" campaign show "$tmp/bp.json" >"$tmp/show.txt"
expect 0 "" cmp "$tmp/show.txt" "$src/../show.txt"
expect 1 "wrong passphrase" "$admin" campaign sign "$tmp/bp.json" --authority "$tmp/auth" \
    -o "$tmp/bp.bpkg" --passphrase-file "$tmp/wrong"
[ ! -e "$tmp/bp.bpkg" ] || { echo "FAIL: a refused signature left a file"; fail=1; }
expect 0 "signed $tmp/bp.bpkg: campaign bp35-essai" "$admin" campaign sign "$tmp/bp.json" \
    --authority "$tmp/auth" -o "$tmp/bp.bpkg" --passphrase-fd 3 3<"$tmp/pass"
expect 0 "verified" "$admin" campaign verify "$tmp/bp.bpkg" --authority "$tmp/auth" --today 2027-03-01
expect 1 "not yet valid" "$admin" campaign verify "$tmp/bp.bpkg" --authority "$tmp/auth" --today 2026-12-05
expect 1 "no longer valid" "$admin" campaign verify "$tmp/bp.bpkg" --authority "$tmp/auth" --today 2028-01-01
expect 0 "campaign   bp35-essai (participatory budget)" "$admin" campaign show "$tmp/bp.bpkg"

# tampered: one byte of the text changed
sed 's/Jardin partag/Jardin partoG/' "$tmp/bp.bpkg" >"$tmp/tampered.bpkg"
expect 1 "signature does not verify" "$admin" campaign verify "$tmp/tampered.bpkg" \
    --authority "$tmp/auth" --today 2027-03-01
# another authority's package
expect 0 "fingerprint" "$admin" authority init "$tmp/other" --passphrase-file "$tmp/pass"
expect 1 "signed by another key" "$admin" campaign verify "$tmp/bp.bpkg" --authority "$tmp/other" \
    --today 2027-03-01

# the package signature checked with openssl: SHA-256 over the text, ECDSA P-256
size=$(wc -c <"$tmp/bp.bpkg")
head -c $((size - 275)) "$tmp/bp.bpkg" >"$tmp/text"
sig=$(tail -c 275 "$tmp/bp.bpkg" | sed -n 's/^signature: //p')
r=$(printf %s "$sig" | cut -c1-64)
s=$(printf %s "$sig" | cut -c65-128)
printf 'asn1=SEQUENCE:sig\n[sig]\nr=INTEGER:0x%s\ns=INTEGER:0x%s\n' "$r" "$s" >"$tmp/sig.cnf"
openssl asn1parse -genconf "$tmp/sig.cnf" -out "$tmp/sig.der" -noout
openssl x509 -in "$tmp/auth/authority.crt" -pubkey -noout >"$tmp/auth.pub"
expect 0 "Verified OK" openssl dgst -sha256 -verify "$tmp/auth.pub" -signature "$tmp/sig.der" "$tmp/text"
expect 1 "Verification failure" openssl dgst -sha256 -verify "$tmp/auth.pub" -signature "$tmp/sig.der" \
    "$tmp/tampered.bpkg"

# a campaign that would be wrong: refused with its place, nothing written
mkdir "$tmp/bad"
cp -r "$src/images" "$tmp/bad/"
sed 's#"\.\./\.\./\.\./assets#"'"$src"'/../../../assets#' "$src/campaign.json" >"$tmp/bad/campaign.json"
sed 's/^vit-ponton;/vit-velo;/' "$src/projets.csv" >"$tmp/bad/projets.csv"
expect 1 "projets.csv:10:1: project id \"vit-velo\" is already used on line 9" \
    "$admin" campaign build "$tmp/bad/campaign.json" -o "$tmp/bad/out.json"
[ ! -e "$tmp/bad/out.json" ] || { echo "FAIL: a refused build left a file"; fail=1; }

[ $fail -eq 0 ] && echo "borne-admin: all checks passed"
exit $fail
