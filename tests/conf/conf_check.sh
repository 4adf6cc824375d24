#!/bin/sh
# conf_check.sh - borne.conf, the one configuration file: the sample that
# is installed in /etc/borne parses for both programs, every bad line is
# refused at start-up naming the file, the line and the value, flags
# override it, and a --config that does not exist is an error.
# Usage: conf_check.sh BORNE BORNE_SERVER SAMPLE
set -eu
BORNE=$1
SRV=$2
SAMPLE=$3
T=$(mktemp -d "${TMPDIR:-/tmp}/conf.XXXXXX")
trap 'sh "$(dirname "$0")/../secrets/keep_logs.sh" "$T" "$0"; rm -rf "$T"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export SDL_VIDEODRIVER=offscreen

# the sample: neither program complains about it
out=$("$BORNE" --config "$SAMPLE" --check-state "$T/none" 2>&1 || true)
echo "$out" | grep -q "borne.conf" && fail "borne on the sample: $out"
out=$("$SRV" check --config "$SAMPLE" --dir "$T/none" 2>&1 || true)
echo "$out" | grep -q "borne.conf" && fail "borne-server on the sample: $out"
# its dir is the default the server uses
out=$("$SRV" check --config "$SAMPLE" 2>&1 || true)
echo "$out" | grep -q "/var/lib/borne/server" || fail "borne-server's dir from the sample: $out"

# each bad file: its text, the program, what the message must say
n=0
bad() { # bad PROGRAM TEXT EXPECTED
    n=$((n + 1))
    printf "$2" >"$T/c$n.conf"
    if [ "$1" = kiosk ]; then
        out=$("$BORNE" --config "$T/c$n.conf" --check-state "$T/none" 2>&1) && fail "accepted: $2"
    else
        out=$("$SRV" check --config "$T/c$n.conf" --dir "$T/none" 2>&1) && fail "accepted: $2"
    fi
    echo "$out" | grep -qF "$3" || fail "'$2': '$out' does not say '$3'"
}
bad kiosk '[kiosk]\nwarn-s = 6O\n' "c1.conf:2: warn-s: '6O' is not a whole number from 5 to 3600"
bad kiosk '[kiosk]\n\nsize = 1280x80\n' "size: '1280x80' is not WxH"
bad kiosk '[kiosk]\nserver-address = a b\n' "c3.conf:2: server-address: 'a b' is not a host name"
bad kiosk '[kiosk]\nprinter = /dev/usb/lp0\nprinter = /tmp/p\n' "c4.conf:3: printer given twice (first on line 2)"
bad kiosk '[kiosque]\n' "c5.conf:1: unknown section [kiosque]"
bad kiosk '[kiosk]\nwarn = 60\n' "c6.conf:2: unknown key 'warn' in [kiosk]"
bad server '[server]\nper-address = 0\n' "c7.conf:2: per-address: '0' is not a whole number from 1 to 10000"
bad server '[server]\nlisten 127.0.0.1:8443\n' "c8.conf:2: expected 'key = value', got 'listen 127.0.0.1:8443'"
bad server 'dir = /tmp\n' "c9.conf:1: unknown key 'dir'"
bad server '[server\n' "c10.conf:1: expected '[section]'"
bad server '[server]\nrequest-s = 2\n' "c11.conf:2: request-s: '2' is not a whole number from 5 to 3600"
bad server '[server]\nbody-max-kib = 20000\n' "c12.conf:2: body-max-kib: '20000' is not a whole number from 64 to 16384"
# a --config that does not exist
out=$("$SRV" check --config "$T/missing.conf" 2>&1) && fail "a missing --config accepted"
echo "$out" | grep -qF "missing.conf: No such file" || fail "missing --config: $out"
# flags override the file: --dir wins over [server] dir
printf '[server]\ndir = %s/from-conf\n' "$T" >"$T/o.conf"
out=$("$SRV" check --config "$T/o.conf" --dir "$T/from-flag" 2>&1 || true)
echo "$out" | grep -q "from-flag" || fail "--dir does not override the file: $out"
echo "conf_check: ok: the sample parses for both programs, $n bad files refused with file:line, flags override"
