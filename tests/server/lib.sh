# lib.sh - helpers for the shell-driven server tests (sourced).
# Needs: SRV (borne-server), T (temp dir). Starts servers on 127.0.0.1 with a
# free port (port 0, read back from --port-file).

fail() {
    echo "FAIL: $*" >&2
    [ -f "$T/log" ] && tail -n 20 "$T/log" >&2
    exit 1
}

# start_server DIR [ARG...]: starts borne-server in the background (ARGs
# after serve's own, e.g. --config FILE), sets PID, PORT, URL.
start_server() {
    rm -f "$T/port"
    d=$1
    shift
    "$SRV" serve --dir "$d" --listen 127.0.0.1:0 --port-file "$T/port" "$@" 2>>"$T/log" &
    PID=$!
    i=0
    while [ ! -s "$T/port" ]; do
        i=$((i + 1))
        [ $i -gt 200 ] && fail "server did not start"
        kill -0 $PID 2>/dev/null || fail "server exited at start"
        sleep 0.05
    done
    PORT=$(cat "$T/port")
    URL="https://localhost:$PORT"
}

# stop_server: SIGTERM; the server must exit 0 (under ASan: no leak, no error)
stop_server() {
    kill "$PID" 2>/dev/null || true
    rc=0
    wait "$PID" 2>/dev/null || rc=$?
    [ $rc = 0 ] || fail "server exited with status $rc"
    ! grep -q 'Sanitizer\|runtime error' "$T/log" || fail "sanitizer report in the server log"
}

# rand N: a random integer in 0..N-1
rand() {
    echo $(( $(od -An -N2 -tu2 /dev/urandom | tr -d ' ') % $1 ))
}

# expect_rc RC OUT ERR CMD...: runs CMD, stdout to OUT and stderr to ERR; its
# exit status must be RC, and ERR free of sanitizer reports (under ASan an
# error or a leak also exits non-zero: a test expecting 1 must not take it)
expect_rc() {
    want=$1
    out=$2
    err=$3
    shift 3
    got=0
    "$@" >"$out" 2>"$err" || got=$?
    ! grep -q 'Sanitizer\|runtime error' "$err" || fail "$*: sanitizer report: $(cat "$err")"
    [ "$got" = "$want" ] || fail "$*: exit $got, expected $want: $(cat "$out" "$err")"
}
