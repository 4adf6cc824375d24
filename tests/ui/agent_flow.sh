#!/bin/sh
# agent_flow.sh - a town hall's day at one kiosk, from its provisioning
# bundle: two agents open the polls (zero report: screen, file, printer),
# citizens vote, an agent pauses (citizens see it, a cast is refused) and
# resumes, two agents close for good (closing report), an agent exports to a
# USB drive; borne-server imports the drive as any bundle, and borne-tally
# reconciles the kiosk's closing report with its ballots. The reports verify
# with openssl, the printer's bytes decode back to the text and the QR code.
# With every refusal on the way: a wrong PIN, the same agent twice, opening
# outside the dates, reopening after closing for good, a kiosk left on past
# midnight of the last day, the lockout across a restart.
# Usage: agent_flow.sh BORNE_ADMIN BORNE BORNE_SERVER BORNE_TALLY SOURCE_DIR [SHOTS_DIR]
set -eu
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
ADMIN=$(abs "$1")
BORNE=$(abs "$2")
SRV=$(abs "$3")
TALLY=$(abs "$4")
SRC=$(cd "$5" && pwd)
KEEP=${6:-}
[ -z "$KEEP" ] || KEEP=$(mkdir -p "$KEEP" && cd "$KEEP" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/agents.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
say() { [ -z "${AGENT_FLOW_VERBOSE:-}" ] || echo "   $*"; }
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
DAY=2027-03-02
cd "$T"
printf 'une phrase de passe\n' >pass
P="--passphrase-file pass"

# --- what the technician prepared: authority, campaign, server, two agents --------
"$ADMIN" authority init auth --name Autorite-35 --from 2026-12-01 --until 2031-12-31 $P >/dev/null
"$ADMIN" campaign build "$SRC/campaign.json" -o bp.json >/dev/null
"$ADMIN" campaign sign bp.json --authority auth -o bp.bpkg $P >/dev/null
"$ADMIN" server init srv --authority auth --host localhost --port 9 $P >/dev/null
printf '482913\n' | "$ADMIN" agent add --authority auth --commune 35238 --id marie \
    --name "Marie Le Goff" --role agent --pin-fd 0 >/dev/null
printf '735184\n' | "$ADMIN" agent add --authority auth --commune 35238 --id paul \
    --name "Paul Hamon" --role agent --pin-fd 0 >/dev/null
printf '590317\n' | "$ADMIN" agent add --authority auth --commune 35238 --id yann \
    --name "Yann Morvan" --role technician --pin-fd 0 >/dev/null
"$BORNE" --enroll --state k --out usb0 --authority auth/authority.crt >/dev/null
"$ADMIN" kiosk enroll usb0 --authority auth --server srv --id kiosk-35238-01 -o b \
    --today 2027-02-20 $P >/dev/null
"$BORNE" --provision b --state k --today $DAY >/dev/null
rm -f k/server.conf   # no network in the town hall today: the USB drive carries it all
echo printer.bin >k/printer      # relative to the kiosk's folder of work: a file, not /dev/usb/lp0
mkdir -p media/CLE-USB
ln -s /sys/kernel media/PROTEGEE   # read-only, even for root (mkdir: EPERM)
echo "$T/media" >k/media
mkdir shots

run() { # run SCRIPT [DAY]: the kiosk, headless, on the script; its output in OUT
    OUT=$("$BORNE" --headless --state k --script "$1" --shots shots --today "${2:-$DAY}" \
        ${SHOT_WIDTH:+--shot-width $SHOT_WIDTH} 2>err) || fail "$1: $(cat err) $OUT"
}
pin() { printf 'type "%s"\ntap "Valider"\n' "$1"; }
vote() { # vote LAST: a vote in Rennes for two projects
    cat <<EOF
expect screen welcome
tap "Touchez l'écran pour commencer"
type "$1"
tap "Suivant"
type "Anne"
tap "Suivant"
type "12041987"
tap "Suivant"
type "ren"
tap "Rennes"
tap "Continuer"
expect screen projects
tap "Choisir : Jardin partagé du Blosne"
tap "Choisir : Piste cyclable Betton - Saint-Grégoire"
tap "Voir mon choix"
tap "Valider mon vote"
expect screen receipt
tap "Terminer"
EOF
}

say "a kiosk provisioned from its bundle (agents marie and paul): closed to citizens"
# --- before opening: citizens see a closed kiosk; refusals ------------------------
{
    echo 'expect screen closed'
    echo "expect text \"Le vote n'est pas ouvert sur cette borne\""
    echo 'shot citizen-closed'
    echo 'hold 20 20 3000'            # the long press on the top-left corner
    echo 'expect screen pin'
    echo 'shot agent-pin'
    pin 111111
    echo 'expect screen pin'
    echo 'expect text "Code incorrect."'
    echo 'expect no text "111111"'    # never the digits
    pin 482913
    echo 'expect screen agent'
    echo 'tap "open bp35-essai"'
    echo 'expect text "Deuxième agent : tapez votre code pour confirmer"'
    pin 482913                        # the same agent twice
    echo 'expect screen agent'
    echo 'expect text "le même agent ne peut pas taper les deux codes"'
    echo 'expect text "pas encore ouvert"'
} >s1.txt
run s1.txt
# outside the dates: refused
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "open bp35-essai"'
    pin 735184
    echo 'expect screen agent'
    echo 'expect text "nous sommes en dehors des dates du scrutin"'
} >s2.txt
run s2.txt 2027-05-02
# opened the evening before: citizens see when it opens, and it does, with the clock
rm -rf kd && cp -r k kd && rm -f kd/printer
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "open bp35-essai"'
    pin 735184
    echo 'expect screen report'
    echo 'tap "Retour"'
    echo 'tap "Quitter le mode agent"'
    echo 'expect screen closed'
    echo 'expect text "Le vote ouvrira le 2027-03-01"'
    echo 'shot citizen-later'
    echo 'clock 2027-03-01 08:00'
    echo 'expect screen welcome'
} >s2b.txt
OUT=$("$BORNE" --headless --state kd --script s2b.txt --shots shots --today 2027-02-28 2>err) ||
    fail "the evening before: $(cat err) $OUT"
rm -rf kd

say "refused: a wrong PIN, the same agent twice, opening after the polls' last day; opened the evening before, it opens with the clock"
# --- opening: two agents, the zero report -----------------------------------------
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'shot agent-home-closed'
    echo 'tap "open bp35-essai"'
    echo 'shot agent-pin-second'
    pin 735184
    echo 'expect screen report'
    echo 'expect text "Rapport zéro : l'"'"'urne est vide à l'"'"'ouverture"'
    echo 'expect text "kind: zero"'
    echo 'expect text "agents: marie paul"'
    echo 'expect text "Rapport imprimé."'
    echo 'shot agent-zero-report'
    echo 'tap "Retour"'
    echo 'expect text "ouvert"'
    echo 'shot agent-home-open'
    echo 'tap "English"'
    echo 'expect text "Agent mode: Marie Le Goff (marie)"'
    echo 'shot agent-home-open-en'
    echo 'tap "Français"'
    echo 'tap "État de la borne"'
    echo 'expect screen status'
    echo 'shot agent-status'
    echo 'tap "Retour"'
    echo 'tap "Quitter le mode agent"'
    vote Kervella
    vote Quemener
} >s3.txt
run s3.txt
[ "$(echo "$OUT" | grep -c '^receipt ')" = 2 ] || fail "two votes expected: $OUT"
grep -q "^kind: zero" k/reports/zero-bp35-essai.txt || fail "no zero report file"
# the QR code on the screen is the report's digest (zbarimg reads the screenshot)
[ "$(zbarimg --raw -q shots/agent-zero-report.png 2>/dev/null)" = "$(sha256sum k/reports/zero-bp35-essai.txt | cut -c1-64)" ] ||
    fail "the zero report's QR code is not its digest"
openssl x509 -in b/kiosk.crt -pubkey -noout >kiosk.pub
openssl dgst -sha256 -verify kiosk.pub -signature k/reports/zero-bp35-essai.sig \
    k/reports/zero-bp35-essai.txt >out 2>&1 || fail "openssl: zero report: $(cat out)"
# the printer's bytes: the text and the QR code's payload, read back
python3 - printer.bin k/reports/zero-bp35-essai.txt <<'EOF' || fail "printer output"
import hashlib, sys
job = open(sys.argv[1], 'rb').read()
text = open(sys.argv[2], 'rb').read()
assert job.startswith(b'\x1b@\x1ba\x00'), 'no reset'
body = job[5:job.index(b'\x1ba\x01')]
assert body == text + b'\n', 'text differs'
i = job.index(b'\x1d(k') ; qr = None
while i >= 0:
    n = job[i + 3] + 256 * job[i + 4]
    if job[i + 5:i + 8] == b'1P0':
        qr = job[i + 8:i + 5 + n].decode()
    i = job.find(b'\x1d(k', i + 5 + n)
assert qr == hashlib.sha256(text).hexdigest(), 'QR payload is not the digest'
assert job.endswith(b'\x1dVB\x00'), 'no cut'
EOF

say "opened by marie and paul: zero report on screen, in k/reports, printed; two votes"
# --- a citizen's session is never visible to an agent ---------------------------------
{
    echo "tap \"Touchez l'écran pour commencer\""
    echo 'type "Quemener"'
    echo 'expect text "QUEMENER"'
    echo 'key Ctrl+Alt+A'              # an agent comes: the session is wiped first
    echo 'expect screen pin'
    echo 'expect no text "QUEMENER"'
    echo 'tap "Annuler"'
    echo 'expect screen welcome'
    echo "tap \"Touchez l'écran pour commencer\""
    echo 'expect no text "QUEMENER"'
} >s3b.txt
run s3b.txt

# --- a pause: citizens see it, and the kiosk takes nothing ---------------------------
{
    echo 'key Ctrl+Alt+A'
    pin 735184
    echo 'tap "pause bp35-essai"'
    echo 'expect text "suspendu"'
    echo 'tap "Quitter le mode agent"'
    echo 'expect screen closed'
    echo 'expect text "Le vote est suspendu quelques instants"'
    echo 'shot citizen-paused'
    echo 'key Ctrl+Alt+A'
    pin 735184
    echo 'tap "resume bp35-essai"'
    echo 'tap "Quitter le mode agent"'
    vote Guillou
} >s4.txt
run s4.txt

say "paused by paul (citizens see it), resumed, a third vote"
# --- the lockout: five wrong PINs, then a wait that a restart does not end -----------
{
    echo 'key Ctrl+Alt+A'
    for i in 1 2 3 4 5; do pin 999999; done
    echo 'expect text "attendez 30 secondes"'
} >s5.txt
run s5.txt
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'expect screen pin'
    echo 'expect text "Trop de codes incorrects"'
    echo 'shot agent-pin-locked'
    echo 'wait 119000'
    echo 'expect screen pin'
    echo 'wait 1100'                  # agent mode leaves by itself after 2 minutes
    echo 'expect screen welcome'
} >s6.txt
run s6.txt
grep -q "agent-pin-refused" k/kiosk.db 2>/dev/null || true

say "five wrong PINs: the pad waits 30 s, and a restart does not end the wait; agent mode leaves by itself after 2 minutes"
# --- opening a box that is not empty: refused (a store put back to "closed") ---------
rm -rf kne && cp -r k kne
python3 -c "import sqlite3; d = sqlite3.connect('kne/kiosk.db'); d.execute(\"UPDATE meta SET value = 'closed' WHERE key = 'polls:bp35-essai'\"); d.commit()"
{
    echo 'expect screen closed'
    echo 'wait 31000'                  # the lockout of the runs above
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "open bp35-essai"'
    pin 735184
    echo 'expect screen agent'
    echo 'expect text "Refusé : l'"'"'urne n'"'"'est pas vide. Un vote s'"'"'ouvre avec une urne vide."'
} >sne.txt
OUT=$("$BORNE" --headless --state kne --script sne.txt --shots shots --today $DAY 2>err) ||
    fail "non-empty box: $(cat err) $OUT"
rm -rf kne

# --- a technician: no polls changes, a wipe refused while open, enrolment, a bundle ----
mkdir -p media/CLE-USB && cp -r b media/CLE-USB/borne-provision
{
    echo 'wait 31000'
    echo 'key Ctrl+Alt+A'
    pin 590317
    echo 'expect text "Mode agent : Yann Morvan (yann)"'
    echo 'expect no text "Suspendre"'
    echo 'tap "Effacer la borne"'
    echo 'expect text "Effacement refusé : Budget participatif d'"'"'Ille-et-Vilaine (essai) n'"'"'est pas clos définitivement."'
    echo 'shot tech-home'
    echo 'tap "Enrôler : demande de certificat sur la clé"'
    echo 'tap "CLE-USB"'
    echo 'expect text "Demande de certificat écrite dans CLE-USB/borne-enrol"'
    echo 'tap "Retour"'
    echo 'tap "Importer un paquet de provisionnement"'
    echo 'tap "CLE-USB"'
    echo 'expect screen welcome'          # the packages and agents taken at once
} >s6t.txt
run s6t.txt
openssl req -in media/CLE-USB/borne-enrol/kiosk.csr -noout -verify >out 2>&1 ||
    fail "the enrolment request on the drive: $(cat out)"
say "technician yann: cannot pause or close, a wipe refused while open; enrolment request and a bundle through the drive"

# --- closing for good: two agents, the closing report; export ------------------------
{
    echo 'wait 31000'
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "close bp35-essai"'
    pin 735184
    echo 'expect screen report'
    echo 'expect text "kind: closing"'
    echo 'expect text "register: 3"'
    echo 'expect text "ballots: 3"'
    echo 'expect text "day: 2027-03-02 register 3 ballots 3"'
    echo 'shot agent-closing-report'
    echo 'tap "English"'
    echo 'expect text "Closing report"'
    echo 'shot agent-closing-report-en'
    echo 'tap "Français"'
    echo 'tap "Retour"'
    echo 'expect text "clos définitivement"'
    echo 'shot agent-home-final'
    echo 'tap "Quitter le mode agent"'
} >s7.txt
run s7.txt
# a full drive, where this machine lets us mount one (root): filled to the brim
FULL=
mkdir -p media/PLEINE
if mount -t tmpfs -o size=16k tmpfs media/PLEINE 2>/dev/null; then
    FULL=1
    trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; umount "$T/media/PLEINE" 2>/dev/null; rm -rf "$T"' EXIT
    dd if=/dev/zero of=media/PLEINE/fill bs=1k count=64 2>/dev/null || true
else
    rmdir media/PLEINE
    echo "note: no tmpfs mount here: the full drive is tested by test_preport only" >&2
fi
# (KIOSK-W1) a wipe before everything is safe elsewhere: refused
{
    echo 'key Ctrl+Alt+A'
    pin 590317
    echo 'tap "Effacer la borne"'
    echo 'expect text "Effacement refusé : 6 éléments n'"'"'ont été ni reçus par le serveur ni exportés sur une clé depuis la clôture."'
    echo 'shot tech-wipe-refused'
    echo 'tap "Quitter le mode agent"'
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "Exporter sur clé USB"'
    echo 'expect screen export'
    echo 'tap "PROTEGEE"'               # a drive that refuses writing
    echo 'expect text "La clé est protégée en écriture : rien n'"'"'a été écrit."'
    if [ -n "$FULL" ]; then               # a full drive (a 16 KiB tmpfs, filled)
        echo 'tap "PLEINE"'
        echo 'expect text "La clé est pleine : rien n'"'"'a été perdu. Utilisez une autre clé."'
    fi
    echo 'tap "CLE-USB"'
    echo 'expect text "Export terminé et relu : 3 lots, 6 éléments, dans CLE-USB/borne-kiosk-35238-01. Vous pouvez retirer la clé."'
    echo 'shot agent-export'
    echo 'tap "Retour"'
    echo 'tap "Quitter le mode agent"'
    echo 'expect screen closed'
} >s7.txt
run s7.txt
echo "$OUT" | grep -q "^export .*bundles=3 items=6" || fail "export: $OUT"
if [ -n "$FULL" ]; then
    [ -z "$(ls -A media/PLEINE/borne-kiosk-35238-01/bundles 2>/dev/null)" ] ||
        fail "the full drive holds a half-written bundle: $(ls -A media/PLEINE/borne-kiosk-35238-01/bundles)"
    umount media/PLEINE && rmdir media/PLEINE
    trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
fi
D=media/CLE-USB/borne-kiosk-35238-01
openssl dgst -sha256 -verify kiosk.pub -signature $D/reports/closing-bp35-essai.sig \
    $D/reports/closing-bp35-essai.txt >out 2>&1 || fail "openssl: closing report: $(cat out)"

# reopening after closing for good: refused (no Open button, the state says why)
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'expect no text "Ouvrir"'
    echo 'expect text "clos définitivement"'
} >s8.txt
run s8.txt

say "closed for good by marie and paul: closing report (3 ballots); a write-protected drive and a full one refused; exported to the USB drive and read back"
# --- the server imports the drive, the tally reconciles -----------------------------
"$SRV" import --dir srv --today $DAY $D/bundles >imp.out 2>&1 || fail "import: $(cat imp.out)"
grep -q "refused" imp.out && fail "import refused a file: $(cat imp.out)"
"$SRV" import --dir srv --today $DAY $D/bundles >imp2.out 2>&1 || fail "import twice: $(cat imp2.out)"
"$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --enrolled srv/kiosks --reports $D/reports >tally.out 2>&1 ||
    fail "tally: $(cat tally.out)"
grep -q "poll report closing-bp35-essai.txt: closing report of kiosk kiosk-35238-01, agents marie and paul, made 2027-03-02T09:00:.*: signature verifies" tally.out &&
    grep -q "poll report zero-bp35-essai.txt: zero report" tally.out ||
    fail "tally did not check the poll reports: $(cat tally.out)"
# a drive holds the reports of every campaign of its kiosk: another campaign's,
# signed by the kiosk, is set aside (said so); one whose campaign line was
# changed no longer verifies: a problem
mkdir mixed && cp $D/reports/* mixed/
sed 's/^campaign: bp35-essai$/campaign: pet35-autre/' $D/reports/closing-bp35-essai.txt \
    >mixed/closing-pet35-autre.txt
openssl dgst -sha256 -sign k/kiosk.key -out mixed/closing-pet35-autre.sig mixed/closing-pet35-autre.txt
python3 - mixed/closing-pet35-autre.sig <<'EOF' || fail "low-S"
import sys   # borne takes low-S signatures only (as the kiosk makes them): s := n - s
n = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
d = open(sys.argv[1], 'rb').read()
def parse(b, i):
    assert b[i] == 2; l = b[i + 1]; return int.from_bytes(b[i + 2:i + 2 + l], 'big'), i + 2 + l
r, i = parse(d, 2); s, _ = parse(d, i)
s = min(s, n - s)
def enc(x):
    b = x.to_bytes((x.bit_length() + 8) // 8, 'big'); return bytes([2, len(b)]) + b
body = enc(r) + enc(s)
open(sys.argv[1], 'wb').write(bytes([0x30, len(body)]) + body)
EOF
"$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --reports mixed >mixed.out 2>&1 ||
    fail "another campaign's report refused the tally: $(cat mixed.out)"
grep -q "poll report closing-pet35-autre.txt: of campaign pet35-autre, not bp35-essai: set aside" mixed.out ||
    fail "another campaign's report not set aside: $(cat mixed.out)"
cp mixed/closing-bp35-essai.sig mixed/closing-pet35-autre.sig
"$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --reports mixed >mixed.out 2>&1 &&
    fail "a report whose campaign was changed passed: $(cat mixed.out)"
grep -q "PROBLEM kiosk kiosk-35238-01, closing-pet35-autre.txt" mixed.out ||
    fail "the changed report's problem is not named: $(cat mixed.out)"
# (VERIFY-V11) a closing report that does not match what was received: refused
mkdir badrep
sed 's/^ballots: 3$/ballots: 2/' $D/reports/closing-bp35-essai.txt >badrep/closing-bp35-essai.txt
cp $D/reports/closing-bp35-essai.sig badrep/
"$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --reports badrep >bad.out 2>&1 && fail "an altered report passed"
grep -q "PROBLEM kiosk ?, closing-bp35-essai.txt, poll report: line 14: the days sum to 3 entries and 3 items, the totals say 3 and 2" bad.out ||
    fail "the altered report's problem is not named: $(cat bad.out)"
# a drive that lost its ballots: the kiosk's signed report says what is missing
"$ADMIN" server init srv2 --authority auth --host localhost --port 9 $P >/dev/null
cp srv/kiosks/*.crt srv2/kiosks/
mkdir part && cp $D/bundles/*participation* $D/bundles/*report* part/
"$SRV" import --dir srv2 --today $DAY part >/dev/null 2>&1 || fail "import of a part"
"$TALLY" verify --server-db srv2/server.db --authority auth/authority.crt \
    --package srv2/bp35-essai.bpkg --reports $D/reports >bad.out 2>&1 && fail "missing ballots passed"
grep -q "PROBLEM kiosk kiosk-35238-01, closing-bp35-essai.txt, poll report: ballots: the report says 3, the tally received 0" bad.out &&
    grep -q "PROBLEM kiosk kiosk-35238-01, closing-bp35-essai.txt, poll report: day 2027-03-02: the report says 3, the tally received 0" bad.out ||
    fail "the missing ballots are not named: $(cat bad.out)"
grep -q "kiosk-35238-01" tally.out || fail "tally does not name the kiosk: $(cat tally.out)"
grep -q "kiosk kiosk-35238-01 .*3 ballots, 3 register entries; closing report: agrees" tally.out ||
    fail "tally did not reconcile the closing report: $(cat tally.out)"

say "borne-server imported the drive (twice: nothing doubled); borne-tally: $(grep "closing report:" tally.out | sed "s/ (key id [0-9a-f]*)//")"
# --- (SYNC-Y5) a kiosk on the network: its closing report reaches the server -----------
"$BORNE" --enroll --state kn --out usbn --authority auth/authority.crt >/dev/null
"$ADMIN" kiosk enroll usbn --authority auth --server srv --id kiosk-35238-02 -o bn \
    --today 2027-02-20 $P >/dev/null
"$BORNE" --provision bn --state kn --today $DAY >/dev/null
rm -f port
"$SRV" serve --dir srv --listen 127.0.0.1:0 --port-file port --today $DAY 2>srv.log &
SPID=$!
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; kill $SPID 2>/dev/null; rm -rf "$T"' EXIT
i=0
while [ ! -s port ]; do
    i=$((i + 1)); [ $i -lt 200 ] || fail "server did not start: $(cat srv.log)"; sleep 0.05
done
sed -i "s/^port = .*/port = $(cat port)/" kn/server.conf
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "open bp35-essai"'
    pin 735184
    echo 'tap "Retour"'
    echo 'tap "Quitter le mode agent"'
    vote Lemarchand
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "close bp35-essai"'
    pin 735184
    echo 'tap "Retour"'
    echo 'tap "Synchroniser"'
    echo 'expect text "Synchronisation réussie"'
    echo 'tap "Quitter le mode agent"'
    # (BACKUP-B2) received is not enough to wipe: no verified backup yet
    echo 'key Ctrl+Alt+A'
    pin 590317
    echo 'tap "Effacer la borne"'
    echo 'expect text "sauvegarde vérifiée"'
    echo 'shot tech-wipe-nobackup'
    echo 'tap "Quitter le mode agent"'
} >sn.txt
OUT=$("$BORNE" --headless --state kn --script sn.txt --shots shots --today $DAY 2>err) ||
    fail "networked kiosk: $(cat err) $OUT"
"$SRV" backup --dir srv "$T/backups" --today $DAY >backup.out 2>&1 ||
    fail "borne-server backup: $(cat backup.out)"
{
    echo 'key Ctrl+Alt+A'
    pin 590317
    echo 'tap "Synchroniser"'
    echo 'tap "Effacer la borne"'
    echo 'expect text "touchez « Confirmer l'"'"'effacement »"'
    echo 'tap "Confirmer l'"'"'effacement"'
    echo 'expect screen outofservice'
} >sn2.txt
OUT=$("$BORNE" --headless --state kn --script sn2.txt --shots shots --today $DAY 2>err) ||
    fail "networked kiosk, wipe after the backup: $(cat err) $OUT"
say "its wipe refused until borne-server made a verified backup ($(cut -d: -f2 backup.out | sed 's/^ //')), then done"
"$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg >tally.out 2>&1 || true
grep -q "kiosk kiosk-35238-02 .*1 ballots, 1 register entries; closing report: agrees" tally.out ||
    fail "the networked kiosk's closing report did not reach the tally: $(cat tally.out)"
kill $SPID 2>/dev/null || true
wait $SPID 2>/dev/null || true
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
say "a kiosk on the network: votes and its closing report synced, the tally reconciles it"

# --- (KIOSK-W1) the wipe after the campaign: nothing of it stays readable -------------
python3 - k/kiosk.db known.bin <<'EOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
vals = set()
for (t,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'"):
    for row in db.execute('SELECT * FROM "%s"' % t):
        for v in row:
            if isinstance(v, bytes) and len(v) >= 16:
                vals.add(v)
open(sys.argv[2], 'wb').write(b''.join(len(v).to_bytes(4, 'big') + v for v in sorted(vals)))
EOF
{
    echo 'key Ctrl+Alt+A'
    pin 590317
    echo 'tap "Effacer la borne"'
    echo 'expect text "touchez « Confirmer l'"'"'effacement »"'
    echo 'shot tech-wipe-confirm'
    echo 'tap "Confirmer l'"'"'effacement"'
    echo 'expect screen outofservice'
    echo 'expect text "wiped after the campaign"'
} >s10.txt
run s10.txt
python3 - k known.bin <<'EOF' || fail "the wipe left data"
import os, sys
raw = open(sys.argv[2], 'rb').read()
known, i = [], 0
while i < len(raw):
    n = int.from_bytes(raw[i:i + 4], 'big'); known.append(raw[i + 4:i + 4 + n]); i += 4 + n
known += [b'Marie Le Goff', b'Yann Morvan', b'ren-jardin', b'bp35-essai', b'pbkdf2-sha256']
assert len(known) > 10, 'too few known values to look for'
for root, dirs, files in os.walk(sys.argv[1]):
    for f in files:
        data = open(os.path.join(root, f), 'rb').read()
        for v in known:
            # a value is found whole, or its first 16 bytes
            if v in data or (len(v) > 16 and v[:16] in data):
                sys.exit('%s still holds %r' % (os.path.join(root, f), v[:24]))
EOF
ls k | grep -q "kiosk.db\|agents.json\|bpkg\|reports" && fail "the wipe left files: $(ls k)"
[ -f k/kiosk.key ] && [ -f k/kiosk.crt ] || fail "the wipe took the kiosk's own key or certificate"
say "wiped by technician yann once everything was exported: no ballot, entry, secret or name left in the state folder"

# --- a kiosk left on past midnight of the last day ----------------------------------
rm -rf k2 && cp -r k k2 && rm -f k2/kiosk.db* k2/reports/*
"$BORNE" --provision b --state k2 --today $DAY >/dev/null
rm -f k2/server.conf
{
    echo 'key Ctrl+Alt+A'
    pin 482913
    echo 'tap "open bp35-essai"'
    pin 735184
    echo 'tap "Retour"'
    echo 'tap "Quitter le mode agent"'
    echo 'expect screen welcome'
    echo 'clock 2027-04-30 23:59'
    echo 'expect screen welcome'
    # a citizen who confirms one minute too late: told, nothing cast
    vote Lemoine | sed '/Valider mon vote/,$d'
    echo 'clock 2027-05-01 00:00'
    echo 'tap "Valider mon vote"'
    echo 'expect screen message'
    echo 'expect text "Le vote vient d'"'"'être suspendu ou fermé"'
    echo 'shot citizen-too-late'
    echo 'key Enter'
    echo 'expect screen closed'
    echo 'expect text "Le vote n'"'"'est pas ouvert sur cette borne"'
} >s9.txt
OUT=$("$BORNE" --headless --state k2 --script s9.txt --shots shots --today 2027-04-30 2>err) ||
    fail "midnight: $(cat err) $OUT"
echo "$OUT" | grep -q "^receipt" && fail "a ballot was taken after midnight of the last day"
"$BORNE" --check-state k2 | grep -q "campaign bp35-essai registered 0 ballots 0" ||
    fail "the kiosk took a ballot after midnight: $("$BORNE" --check-state k2)"

say "a kiosk left on past midnight of the last day: closed at 00:00 without a restart; a vote confirmed at 00:00 refused"
[ -z "$KEEP" ] || cp shots/*.png "$KEEP"/
# tests/vectors/preport/ comes from here: AGENT_FLOW_VECTORS=DIR
[ -z "${AGENT_FLOW_VECTORS:-}" ] ||
    cp kiosk.pub $D/reports/zero-bp35-essai.txt $D/reports/zero-bp35-essai.sig \
        $D/reports/closing-bp35-essai.txt $D/reports/closing-bp35-essai.sig printer.bin \
        "$AGENT_FLOW_VECTORS"/
echo "agent flow: ok"
