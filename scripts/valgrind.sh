#!/bin/sh
# valgrind.sh [BUILD_DIR] - the unit tests under valgrind's memcheck (issue 18,
# section 6): no error, no definite or indirect leak, each test's time
# printed. The tests whose ECDSA-heavy loops take more than a few minutes
# under valgrind (test_pkg, test_cert, test_bundle, test_petition,
# test_sigverify, test_secrecy: 5 minutes and more each) are left to ASan and
# UBSan, which run them all (.ci/run); the fault tests that fork and kill,
# or replace malloc (test_crash, test_faults, test_pin_kill), too.
set -eu
cd "$(dirname "$0")/.."
B=${1:-build}
command -v valgrind >/dev/null || { echo "valgrind.sh: valgrind is missing (apt-get install valgrind)" >&2; exit 2; }
TESTS="test_day test_hex test_wire test_rng test_key test_rules test_ballot test_track
test_pseud test_store test_harden test_cast test_report test_idea test_agent test_answers
test_http test_polls test_preport test_vcode test_interop"
# the environment ctest gives the tests (BORNE_TEST_ENV)
BORNE_ASSETS=$(pwd)/assets BORNE_VECTORS=$(pwd)/tests/vectors
export BORNE_ASSETS BORNE_VECTORS
fail=0
for t in $TESTS; do
    [ -x "$B/tests/$t" ] || { echo "valgrind.sh: $B/tests/$t is not built" >&2; exit 2; }
    s=$(date +%s)
    if (cd "$B/tests" && valgrind -q --error-exitcode=9 --leak-check=full \
        --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
        "./$t" >"$t.valgrind.log" 2>&1); then
        echo "valgrind $t ok $(($(date +%s) - s)) s"
    else
        echo "valgrind $t FAILED $(($(date +%s) - s)) s:"
        grep -A12 '^==[0-9]*== [A-Z]' "$B/tests/$t.valgrind.log" | head -40
        fail=1
    fi
done
exit $fail
