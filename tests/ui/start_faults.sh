#!/bin/sh
# start_faults.sh BORNE SOURCE_DIR - the kiosk started on a broken machine
# (issue 18, section 2): missing or corrupt fonts and catalogs, a state
# directory others can read, a store cut to nothing or with a flipped
# header, a package deleted (or truncated) while the kiosk was off, a clock
# years off. Each: no crash (no signal, no sanitizer report), either a
# clear message naming the file (and line) and exit 1 when nothing can be
# drawn, or the out-of-service screen saying why to the agents; no ballot
# cast; and, the fault repaired, the same state votes again. Shots of the
# out-of-service screens go to $SHOTS_DIR when it is set (docs/screens).
set -eu
BORNE=$1
SRC=$2
T=$(mktemp -d)
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
cd "$T"
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
DAY=2027-03-15
fail() { echo "FAIL: $*"; exit 1; }
say() { echo "ok - $*"; }
"$BORNE" --init-demo st >/dev/null
cp -r "$SRC/assets" a
mkdir shots
printf 'expect screen welcome\n' >welcome.txt
oos() { # oos NAME WORDS: out of service, the reason to the agents
    printf 'expect screen outofservice\nexpect text "%s"\nshot %s\n' "$2" "$1" >oos.txt
}
kiosk() { # kiosk SCRIPT [ARGS...]: exit status in RC, stderr in err
    s=$1
    shift
    RC=0
    "$BORNE" --headless --state st --script "$s" --shots shots --today $DAY "$@" >out 2>err || RC=$?
    [ $RC -lt 128 ] || fail "the kiosk died of signal $((RC - 128)): $(cat err)"
    ! grep -q "Sanitizer\|runtime error" err || fail "sanitizer: $(cat err)"
}
votes() { "$BORNE" --check-state st | sed -n 's/^ballots //p'; }
kiosk welcome.txt
[ $RC = 0 ] || fail "the demo state does not start: $(cat err)"

# fonts: none, then not fonts
mkdir nofonts badfonts
printf 'not a font' >badfonts/DejaVuSans.ttf
cp badfonts/DejaVuSans.ttf badfonts/DejaVuSans-Bold.ttf
kiosk welcome.txt --fonts nofonts
[ $RC = 1 ] && grep -q "nofonts/DejaVuSans.ttf" err || fail "missing fonts: rc $RC, $(cat err)"
kiosk welcome.txt --fonts badfonts
[ $RC = 1 ] && grep -q "fonts in badfonts" err || fail "corrupt fonts: rc $RC, $(cat err)"
say "fonts missing or corrupt: exit 1, the file named ($(head -c 80 err))"

# catalogs: a line without '=', bytes that are not UTF-8, missing
cp -r a a1 && printf 'une ligne sans signe égal\n' >>a1/i18n/fr.txt
kiosk welcome.txt --assets a1
[ $RC = 1 ] && grep -q "a1/i18n/fr.txt: line [0-9]*: no '='" err || fail "catalog line: rc $RC, $(cat err)"
cp -r a a2 && printf 'btn.home = \377\376\n' >>a2/i18n/en.txt
kiosk welcome.txt --assets a2
[ $RC = 1 ] && grep -q "a2/i18n/en.txt" err || fail "catalog bytes: rc $RC, $(cat err)"
cp -r a a3 && rm a3/i18n/en.txt
kiosk welcome.txt --assets a3
[ $RC = 1 ] && grep -q "a3/i18n/en.txt: cannot open" err || fail "catalog missing: rc $RC, $(cat err)"
say "catalogs malformed, not UTF-8 or missing: exit 1, file and line named"

# the state directory open to others (HARDEN-H4)
chmod 755 st
oos state-open "chmod 700"
kiosk oos.txt
[ $RC = 0 ] || fail "state 0755: $(cat err)"
chmod 700 st
kiosk welcome.txt
[ $RC = 0 ] || fail "state 0700 again: $(cat err)"
say "state directory 0755: out of service, 'chmod 700' said; 0700: back"

# the store: cut to nothing (STORE-D5), a flipped header, then put back
cp st/kiosk.db good.db
: >st/kiosk.db
oos store-empty "is empty (0 bytes)"
kiosk oos.txt
[ $RC = 0 ] || fail "empty store: $(cat err)"
[ -s st/kiosk.db ] && fail "the empty store was made into a new one"
cp good.db st/kiosk.db
printf 'XXXXXXXXXXXXXXXX' | dd of=st/kiosk.db bs=1 seek=0 conv=notrunc 2>/dev/null
oos store-header "not a database"
kiosk oos.txt
[ $RC = 0 ] || fail "flipped header: $(cat err)"
cp good.db st/kiosk.db
kiosk welcome.txt
[ $RC = 0 ] || fail "store put back: $(cat err)"
say "store cut to 0 bytes or with a flipped header: out of service, nothing made anew; put back: starts"

# a package deleted, then truncated, while the kiosk was off: the others run
mv st/bp35-demo.bpkg pkg.keep
printf 'expect screen welcome\nexpect text "pétition"\n' >nobudget.txt
kiosk nobudget.txt
[ $RC = 0 ] || fail "budget package deleted: $(cat err) $(cat out)"
head -c 200 pkg.keep >st/bp35-demo.bpkg
kiosk nobudget.txt
[ $RC = 0 ] || fail "budget package truncated: $(cat err) $(cat out)"
grep -q "bp35-demo.bpkg" err || fail "the truncated package is not named: $(cat err)"
mv pkg.keep st/bp35-demo.bpkg
say "a package deleted or truncated: the other campaigns run, the bad file named ($(grep -m1 bp35 err | head -c 100))"

# the clock years off at start: out of service, not a vote on a wrong day
oos clock-2001 "clock"
RC=0
"$BORNE" --headless --state st --script oos.txt --shots shots --today 2001-01-01 >out 2>err || RC=$?
[ $RC = 0 ] || fail "clock 2001: rc $RC $(cat err)"
say "a clock in 2001: out of service"

# repaired: a citizen votes
sed -n '/^expect screen welcome/,$p' "$SRC/tests/ui/vote_touch.txt" | grep -v '^shot' |
    sed "s/^tap \"Touchez l'écran pour commencer\"/tap \"Voter\"/" >vote.txt
V0=$(votes)
[ "$V0" = 0 ] || fail "a ballot was cast while faulty: $V0"
kiosk vote.txt
[ $RC = 0 ] || fail "the vote after the repairs: $(cat err) $(cat out)"
[ "$(votes)" = 1 ] || fail "the vote after the repairs is not in the box: $(votes)"
say "no ballot while faulty; every fault repaired: a vote goes through, in the box"
if [ -n "${SHOTS_DIR:-}" ]; then cp shots/*.png "$SHOTS_DIR"/; fi
