#!/bin/sh
# chain.sh - the whole provisioning chain from nothing, as a technician runs
# it: authority -> campaign from the spreadsheet and INSEE's files ->
# package -> server folder -> two kiosks enrolled (their keys never leave
# them) -> bundles imported -> a vote at each kiosk -> synced -> borne-tally
# verifies and counts. Certificates and the package checked with openssl.
# (PROV-B1) Refusals, each with its message: a bundle altered, for another kiosk,
# expired, of another authority; a revoked kiosk (server); a kiosk missing
# from the enrolled list (tally).
# Usage: chain.sh BORNE_ADMIN BORNE BORNE_SERVER BORNE_TALLY SOURCE_DIR
set -eu
abs() { echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }
ADMIN=$(abs "$1")
BORNE=$(abs "$2")
SRV=$(abs "$3")
TALLY=$(abs "$4")
SRC=$(cd "$5" && pwd)
T=$(mktemp -d "${TMPDIR:-/tmp}/chain.XXXXXX")
PID=0
TPID=0
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; set +e; [ $PID = 0 ] || kill $PID 2>/dev/null; [ $TPID = 0 ] || kill $TPID 2>/dev/null; rm -rf "$T"' EXIT
. "$(dirname "$0")/../server/lib.sh"
export SDL_VIDEODRIVER=offscreen SDL_FRAMEBUFFER_ACCELERATION=0
DAY=2027-03-02          # within the campaign's polls (tests/provisioning/src)
cd "$T"
printf 'une phrase de passe\n' >pass
P="--passphrase-file pass"

# refuse CODE MESSAGE CMD...: CMD must exit CODE and say MESSAGE
refuse() {
    want=$1 msg=$2
    shift 2
    got=0
    "$@" >out 2>&1 || got=$?
    [ "$got" = "$want" ] && grep -qF -- "$msg" out ||
        fail "$*: exit $got, expected $want with \"$msg\": $(cat out)"
}

# --- the authority, the campaign, the server ------------------------------------
"$ADMIN" authority init auth --name Autorite-35 --from 2026-12-01 --until 2031-12-31 $P >/dev/null
"$ADMIN" campaign build "$SRC/campaign.json" -o bp.json >/dev/null
"$ADMIN" campaign sign bp.json --authority auth -o bp.bpkg $P >/dev/null
"$ADMIN" campaign verify bp.bpkg --authority auth --today $DAY >/dev/null
"$ADMIN" server init srv --authority auth --host localhost $P >/dev/null
[ ! -e srv/bp35-essai.secret ] && ! grep -rq "$(od -An -tx1 auth/campaigns/bp35-essai.secret | tr -d ' \n' | cut -c1-40)" srv ||
    fail "the server folder holds the pseudonym secret"
start_server_day() { # start_server_day [PORT [DAY [DIR]]]
    rm -f port
    "$SRV" serve --dir ${3:-srv} --listen 127.0.0.1:${1:-0} --port-file port --today ${2:-$DAY} 2>>log &
    PID=$!
    i=0
    while [ ! -s port ]; do
        i=$((i + 1))
        [ $i -gt 200 ] && fail "server did not start"
        kill -0 $PID 2>/dev/null || fail "server exited at start: $(tail -3 log)"
        sleep 0.05
    done
    PORT=$(cat port)
}
start_server_day
# the port is known now: the server folder says where kiosks connect
"$ADMIN" server init srv --authority auth --host localhost --port "$PORT" $P >/dev/null
printf '123456\n' | "$ADMIN" agent add --authority auth --commune 35238 --id marie \
    --name "Marie Le Goff" --role agent --pin-fd 0 >/dev/null
printf '654321\n' | "$ADMIN" agent add --authority auth --commune 35238 --id yann \
    --name "Yann Morvan" --role technician --pin-fd 0 >/dev/null
refuse 1 "the PIN must be 6 to 12 digits (it has 5 characters)" sh -c "printf '12345\n' | \
    '$ADMIN' agent add --authority auth --commune 35238 --id paul --name Paul --role agent --pin-fd 0"
refuse 1 "already has this PIN" sh -c "printf '123456\n' | '$ADMIN' agent add --authority auth \
    --commune 35238 --id paul --name Paul --role agent --pin-fd 0"

# --- two kiosks: each makes its key, the authority enrols it ---------------------
for n in 1 2; do
    "$BORNE" --enroll --state k$n --out usb$n --authority auth/authority.crt >/dev/null
    [ ! -e usb$n/kiosk.key ] || fail "the kiosk's private key left the kiosk"
    "$ADMIN" kiosk enroll usb$n --authority auth --server srv --id kiosk-35238-0$n \
        -o b$n --today 2027-02-20 $P >/dev/null
done
[ -f srv/kiosks/kiosk-35238-01.crt ] && [ -f srv/kiosks/kiosk-35238-02.crt ] ||
    fail "the server's enrolled list lacks a kiosk"
kill -HUP $PID      # the running server reads its list again (else within 10 s)
sleep 0.5
for n in 1 2; do
    openssl verify -attime "$(date -d $DAY +%s)" -CAfile auth/authority.crt b$n/kiosk.crt >out 2>&1 || fail "openssl: $(cat out)"
    openssl x509 -in b$n/kiosk.crt -noout -subject | grep -q "CN *= *kiosk-35238-0$n" ||
        fail "kiosk $n's certificate does not name it"
done

# --- refusals of the kiosk: nothing is taken from a bad bundle --------------------
cp -r b1 bad
printf ' ' >>bad/agents.json
refuse 1 "bad/agents.json: altered since the authority signed" \
    "$BORNE" --provision bad --state k1 --today $DAY
rm -rf bad && cp -r b1 bad
sed 's/"port":[[:space:]]*[0-9]*/"port": 1/' b1/provision.json >bad/provision.json
refuse 1 "the authority's signature does not verify" "$BORNE" --provision bad --state k1 --today $DAY
refuse 1 "made for another kiosk (kiosk-35238-02)" "$BORNE" --provision b2 --state k1 --today $DAY
refuse 1 "expired on 2027-03-22" "$BORNE" --provision b1 --state k1 --today 2027-04-01
"$ADMIN" authority init other $P >/dev/null
"$ADMIN" campaign sign bp.json --authority other -o other.bpkg $P >/dev/null
"$ADMIN" server init osrv --authority other --host localhost $P >/dev/null
"$BORNE" --enroll --state k1 --out usbx >/dev/null   # the same kiosk, asking another authority
"$ADMIN" kiosk enroll usbx --authority other --server osrv --id kiosk-35238-01 -o bx \
    --today 2027-02-20 $P >/dev/null
refuse 1 "from another authority than the one this kiosk was enrolled with" \
    "$BORNE" --provision bx --state k1 --today $DAY
[ ! -e k1/kiosk.db ] && [ ! -e k1/bp35-essai.bpkg ] || fail "a refused bundle left files"

# --- imported, polls opened, a vote at each ---------------------------------------
for n in 1 2; do
    "$BORNE" --provision b$n --state k$n --today $DAY >/dev/null
    "$BORNE" --open-polls bp35-essai --state k$n --today $DAY >/dev/null
done
vote() { # vote FILE LAST: a vote in Rennes for both of its projects, then sync
    cat >"$1" <<EOF
expect screen welcome
tap "Touchez l'écran pour commencer"
expect screen identity
type "$2"
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
sync close
EOF
}
mkdir shots
for n in 1 2; do
    [ $n = 1 ] && vote v$n.txt "Kervella" || vote v$n.txt "Quemener"
    OUT=$("$BORNE" --headless --state k$n --script v$n.txt --shots shots --today $DAY 2>>borne.err) ||
        fail "kiosk $n: $(cat borne.err) $OUT"
    echo "$OUT" | grep -q "^receipt " || fail "kiosk $n gave no receipt: $OUT"
    echo "$OUT" | grep -q "sync bundles=.* left=0 online=1" || fail "kiosk $n did not sync: $OUT"
    [ $n = 1 ] && CODE1=$(echo "$OUT" | sed -n 's/^receipt //p')
done

# --- the tally: both kiosks' ballots verify and are counted -----------------------
"$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --track-key srv/bp35-essai.track --enrolled srv/kiosks \
    --provisional >tally.out 2>&1 || fail "tally: $(cat tally.out)"
grep -q "kiosk-35238-01" tally.out && grep -q "kiosk-35238-02" tally.out ||
    fail "the tally does not name both kiosks: $(cat tally.out)"
grep -qi "ballots *2\|2 ballots" tally.out || fail "the tally did not count 2 ballots: $(cat tally.out)"
# and counts: results per territory, both ballots in Rennes' count
"$TALLY" publish --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --track-key srv/bp35-essai.track --provisional \
    -o results >out 2>&1 || fail "tally publish: $(cat out)"
grep -q "^provisional,rennes,ren-jardin,28500,2,1," results/results-rennes.csv ||
    fail "the count of Rennes does not give 2 votes to ren-jardin: $(cat results/results-rennes.csv)"
# a kiosk the authority enrolled that sent nothing refuses certification
mkdir enrolled3
cp srv/kiosks/*.crt enrolled3/
"$BORNE" --enroll --state k3 --out usb3 >/dev/null
"$ADMIN" kiosk enroll usb3 --authority auth --server srv --id kiosk-35238-03 -o b3 \
    --today 2027-02-20 $P >/dev/null
cp srv/kiosks/kiosk-35238-03.crt enrolled3/
refuse 1 "kiosk-35238-03" "$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --track-key srv/bp35-essai.track --enrolled enrolled3

# (VERIFY-V9) a kiosk heard from but not in the list given: named
mkdir enrolled1
cp srv/kiosks/kiosk-35238-01.crt enrolled1/
refuse 1 "kiosk-35238-02, -, -: sent bundles, but is not in the enrolled list" \
    "$TALLY" verify --server-db srv/server.db --authority auth/authority.crt \
    --package srv/bp35-essai.bpkg --track-key srv/bp35-essai.track --enrolled enrolled1

# --- (SRV-E1) a kiosk the authority certified but the server does not list ----------
cp -r srv srvcopy
rm -f srvcopy/kiosks/*
"$BORNE" --enroll --state k4 --out usb4 --authority auth/authority.crt >/dev/null
"$ADMIN" kiosk enroll usb4 --authority auth --server srvcopy --id kiosk-35238-04 -o b4 \
    --today 2027-02-20 $P >/dev/null
"$BORNE" --provision b4 --state k4 --today $DAY >/dev/null
"$BORNE" --open-polls bp35-essai --state k4 --today $DAY >/dev/null
vote v5.txt "Guillou"
"$BORNE" --headless --state k4 --script v5.txt --shots shots --today $DAY >k4.out 2>&1 || true
grep -q "POST /v1/reservations 403 kiosk=$(openssl x509 -in b4/kiosk.crt -pubkey -noout |
    openssl pkey -pubin -outform DER | sha256sum | cut -c1-16)" log ||
    fail "the server took a kiosk it does not list: $(tail -3 log)"
! grep -q "^receipt" k4.out && grep -q "Votre vote n'a pas pu être enregistré" k4.out ||
    fail "kiosk 4 cast a ballot the server refused: $(cat k4.out)"
# enrolled now (the authority adds it to the server's list): taken without a restart
cp srvcopy/kiosks/kiosk-35238-04.crt srv/kiosks/
kill -HUP $PID
sleep 1
vote v6.txt "Lemoine"
OUT=$("$BORNE" --headless --state k4 --script v6.txt --shots shots --today $DAY 2>>borne.err) ||
    fail "kiosk 4, once enrolled: $(cat borne.err) $OUT"
echo "$OUT" | grep -q "left=0 online=1" || fail "kiosk 4, once enrolled, did not sync: $OUT"

# --- (TPM-T1) a kiosk whose key is made and kept inside its TPM (swtpm here):
# its certificate request, the seals of its bundle (ECDH), its ballots and
# its TLS client authentication all go through the TPM; no key file ever
if command -v swtpm >/dev/null 2>&1; then
    mkdir tpmstate
    TP=$((40000 + $(rand 20000)))
    swtpm socket --tpm2 --server type=tcp,port=$TP,bindaddr=127.0.0.1 \
        --ctrl type=tcp,port=$((TP + 1)),bindaddr=127.0.0.1 --tpmstate dir=tpmstate \
        --flags not-need-init,startup-clear 2>swtpm.err &
    TPID=$!
    sleep 0.5
    "$BORNE" --enroll --state k5 --out usb5 --authority auth/authority.crt \
        --tpm "swtpm:host=127.0.0.1,port=$TP" >out 2>&1 || fail "enrolment with the TPM: $(cat out)"
    grep -q "inside the TPM" out || fail "the enrolment does not say the key is in the TPM: $(cat out)"
    [ ! -e k5/kiosk.key ] || fail "a kiosk enrolled with its TPM has a key file"
    "$ADMIN" kiosk enroll usb5 --authority auth --server srv --id kiosk-35238-05 -o b5 \
        --today 2027-02-20 $P >/dev/null
    kill -HUP $PID
    sleep 0.5
    "$BORNE" --provision b5 --state k5 --today $DAY >out 2>&1 || fail "provisioning with the TPM: $(cat out)"
    "$BORNE" --open-polls bp35-essai --state k5 --today $DAY >/dev/null
    vote v7.txt "Le Bihan"
    OUT=$("$BORNE" --headless --state k5 --script v7.txt --shots shots --today $DAY 2>>borne.err) ||
        fail "the TPM kiosk: $(cat borne.err) $OUT"
    echo "$OUT" | grep -q "^receipt " || fail "the TPM kiosk gave no receipt: $OUT"
    echo "$OUT" | grep -q "left=0 online=1" || fail "the TPM kiosk did not sync: $OUT $(tail -3 log)"
    "$BORNE" --check-state k5 >out 2>&1 && grep -q "^verified 1" out ||
        fail "the TPM kiosk's ballot does not verify: $(cat out)"
    ls k5 | grep -q '\.key$' && fail "a key file appeared: $(ls k5)"
    kill $TPID 2>/dev/null || true
    TPID=0
    echo "ok - a kiosk with its key inside a TPM (swtpm): enrolled, provisioned, voted, synced"
else
    echo "swtpm is not installed (apt-get install swtpm): the TPM kiosk is skipped"
fi

# --- revoked: the server refuses kiosk 2 without a restart -------------------------
"$ADMIN" kiosk revoke kiosk-35238-02 --authority auth --server srv --today $DAY $P >/dev/null
kill -HUP $PID 2>/dev/null || true
vote v3.txt "Riou"
i=0
while :; do
    OUT=$("$BORNE" --headless --state k2 --script v3.txt --shots shots --today $DAY 2>>borne.err) || true
    echo "$OUT" | grep -q "left=0" || break
    i=$((i + 1))
    [ $i -gt 15 ] && fail "the server still takes kiosk 2's uploads after its revocation: $OUT"
    sleep 1
done
grep -q "POST /v1/reservations 403 kiosk=$(openssl x509 -in b2/kiosk.crt -pubkey -noout |
    openssl pkey -pubin -outform DER | sha256sum | cut -c1-16)" log ||
    fail "the server did not refuse the revoked kiosk: $(tail -5 log)"
grep -q "POST /v1/reservations 200 kiosk=$(openssl x509 -in b1/kiosk.crt -pubkey -noout |
    openssl pkey -pubin -outform DER | sha256sum | cut -c1-16)" log ||
    fail "the server's log does not show kiosk 1's reservation: $(tail -5 log)"
stop_server

# --- (SRV-T1) dates are a rule for ballots, not for starting ----------------------
# a vote at kiosk 1 while the server is away: cast offline, kept for later
vote v4.txt "Riou"
OUT=$("$BORNE" --headless --state k1 --script v4.txt --shots shots --today $DAY 2>>borne.err) ||
    fail "kiosk 1 offline: $(cat borne.err) $OUT"
echo "$OUT" | grep -q "left=[1-9]" || fail "kiosk 1 sent its ballot to a stopped server: $OUT"
C="curl -sS --max-time 30 --cacert auth/authority.crt"
K1="--cert k1/kiosk.crt --key k1/kiosk.key"
PS=$(printf '%064d' 7)
# before the package's validity (no kiosk certificate valid yet either), before
# the polls, after everything
for when in 2026-12-05 2027-02-25 2028-06-01; do
    : >log
    start_server_day "$PORT" $when
    [ $when = 2027-02-25 ] ||
        grep -q "campaign bp35-essai: polls from 2027-03-01 to 2027-04-30, not today" log ||
        fail "the server does not say the campaign is outside its dates: $(tail -3 log)"
    if [ $when != 2026-12-05 ]; then
        $C $K1 -H "Content-Type: application/json" -X POST -d "{\"campaign\":\"bp35-essai\",\"pseudonym\":\"$PS\"}" \
            "https://localhost:$PORT/v1/reservations" >out 2>&1
        grep -q "polls-closed" out &&
            grep -q "closed on $when (open from 2027-03-01 to 2027-04-30)" out ||
            fail "a reservation on $when was not refused in words: $(cat out)"
    fi
    $C "https://localhost:$PORT/v1/receipts/$CODE1" | grep -q '"counted"' ||
        fail "the receipt lookup does not answer on $when"
    if [ $when = 2028-06-01 ]; then
        # the ballot cast on $DAY, uploaded after the close: taken
        printf 'sync close\n' >s.txt
        OUT=$("$BORNE" --headless --state k1 --script s.txt --shots shots --today $DAY 2>>borne.err) ||
            fail "kiosk 1 late sync: $(cat borne.err) $OUT"
        echo "$OUT" | grep -q "left=0 online=1" || fail "the late upload was refused: $OUT $(tail -3 log)"
    fi
    stop_server
done
mkdir exported
"$SRV" export --dir srv --today 2028-06-01 exported >out 2>&1 || fail "export after the dates: $(cat out)"
ls exported | grep -q . || fail "the export after the campaign's dates wrote nothing"
# --- (KSYNC-K4) another server for the same host, even certified by the same
# authority: the kiosk pinned its server's certificate and does not talk to it
"$ADMIN" server init srv2 --authority auth --host localhost --port "$PORT" $P >/dev/null
"$ADMIN" server init srv --authority auth --host localhost --port "$PORT" $P >/dev/null
cmp -s srv/server.crt b1/server.crt || fail "server init again changed the server's certificate"
start_server_day "$PORT" $DAY srv2
printf 'sync\n' >s2.txt
OUT=$("$BORNE" --headless --state k1 --script s2.txt --shots shots --today $DAY 2>&1) || true
echo "$OUT" | grep -q "not the one pinned at provisioning" ||
    fail "kiosk 1 talked to a server it did not pin: $OUT"
stop_server
echo "chain: all checks passed"
