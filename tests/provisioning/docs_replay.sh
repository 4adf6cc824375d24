#!/bin/sh
# docs_replay.sh - runs the commands of docs/provisioning.md ("English", "In
# ten commands or fewer") exactly as written, in order, in a fresh folder:
# the campaign folder holds the description the page shows, the test's
# spreadsheet and images, and INSEE's files. Passphrases and PINs are typed
# on a terminal (script(1) gives each command one). The French part must
# give the same commands, and there are at most ten.
# Usage: docs_replay.sh SOURCE_ROOT BORNE_ADMIN BORNE BORNE_SERVER
set -eu
ROOT=$(cd "$1" && pwd)
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
T=$(mktemp -d "${TMPDIR:-/tmp}/docs_replay.XXXXXX")
PID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
mkdir "$T/bin"
ln -s "$(abs "$2")" "$T/bin/borne-admin"
ln -s "$(abs "$3")" "$T/bin/borne"
ln -s "$(abs "$4")" "$T/bin/borne-server"
PATH="$T/bin:$PATH"
DOC=$ROOT/docs/provisioning.md

# the commands of a part: the "$ " lines between its heading and the next rule
cmds() { sed -n "/^## $1\$/,/^---\$/p" "$DOC" | sed -n 's/^\$ //p'; }
cmds English >"$T/en"
cmds Français >"$T/fr"
[ -s "$T/en" ] || fail "no command in the English part of $DOC"
cmp -s "$T/en" "$T/fr" || fail "the French and English parts give different commands"
n=$(wc -l <"$T/en")
[ "$n" -le 10 ] || fail "$n commands: more than ten"

# the campaign folder: the description shown in the page, and its sources
mkdir -p "$T/campagne" "$T/usb"
sed -n '/^```json$/,/^```$/p' "$DOC" | sed '1d;$d' >"$T/campagne/campagne.json"
cp "$ROOT/tests/provisioning/src/projets.csv" "$T/campagne/"
cp -r "$ROOT/tests/provisioning/src/images" "$T/campagne/"
for f in v_commune_2026_dep35.csv cantons-35.csv territories-35.csv communes-35-cantons.csv; do
    cp "$ROOT/assets/data/$f" "$T/campagne/"
done
cd "$T"

i=0
while IFS= read -r cmd; do
    i=$((i + 1))
    case "$cmd" in
    "borne-server serve"*)
        sh -c "exec $cmd" >server.out 2>&1 &
        PID=$!
        j=0
        until grep -q "listening on" server.out 2>/dev/null; do
            j=$((j + 1))
            [ $j -gt 100 ] && fail "command $i: $cmd: the server does not listen: $(cat server.out)"
            kill -0 $PID 2>/dev/null || fail "command $i: $cmd: exited: $(cat server.out)"
            sleep 0.1
        done
        curl -sS --max-time 10 --cacert autorite/authority.crt https://localhost:8443/v1/health \
            >health 2>&1 || fail "command $i: the server does not answer: $(cat health)"
        continue
        ;;
    *"agent add"*) input='246810\n246810\n' ;;
    *) input='une phrase de passe\nune phrase de passe\n' ;;
    esac
    rc=0
    printf "$input" | script -qec "$cmd" /dev/null >out.$i 2>&1 || rc=$?
    [ $rc = 0 ] || fail "command $i: $cmd: exit $rc: $(cat out.$i)"
    echo "$i. $cmd"
done <"$T/en" 3<&-

# what they said: the same fingerprint at the authority and at the kiosk, a
# kiosk provisioned, an agent added
fa=$(sed -n 's/^fingerprint  *\([0-9A-Z-]*\).*/\1/p' out.1)
[ -n "$fa" ] || fail "authority init printed no fingerprint: $(cat out.1)"
grep -rq "its fingerprint: $fa" out.* || fail "the kiosk did not print the authority's fingerprint $fa"
grep -rq "kiosk-35238-01 provisioned from usb/mise-en-service" out.* || fail "no kiosk provisioned"
grep -rq "agent marie (agent) added to commune 35238" out.* || fail "no agent added"
[ -f borne-etat/kiosk.key ] && [ ! -e usb/kiosk.key ] || fail "the kiosk key is not where it must be"
echo "docs/provisioning.md: $n commands replayed"
