/* test_harden.c - what harden_process promises (harden.h), checked in the
 * process itself: a core dump of a kiosk would hold its private key and
 * the campaign secret. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "bn_err.h"
#include "harden.h"
#include "testutil.h"

/* (HARDEN-H1) (HARDEN-H2) (HARDEN-H3) */
static void test_process(void **state)
{
    char note[256] = "x";
    struct rlimit core;
    mode_t m;
    int rc;

    (void)state;
    umask(022);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 1);
    rc = harden_process(note, sizeof note);
    assert_true(rc == 0 || rc == HARDEN_LOCKED);
    /* no core dump: limit 0, and not dumpable */
    assert_int_equal(getrlimit(RLIMIT_CORE, &core), 0);
    assert_int_equal(core.rlim_cur, 0);
    assert_int_equal(core.rlim_max, 0);
    assert_int_equal(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0), 0);
    /* new files are 0600 at most */
    m = umask(077);
    assert_int_equal(m, 077);
    /* locked, or said why not */
    if (rc == 0)
        assert_non_null(strstr(note, "LimitMEMLOCK"));
    else
        assert_string_equal(note, "");
}

/* (HARDEN-H1) a wider file is narrowed; a missing one is fine */
static void test_file(void **state)
{
    char *dir = tu_tmpdir("harden"), *path = tu_path(dir, "f"), why[256] = "";
    struct stat sb;

    (void)state;
    assert_int_equal(tu_write(path, "x", 1), 0);
    assert_int_equal(chmod(path, 0664), 0);
    assert_int_equal(harden_file(path, why, sizeof why), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    assert_int_equal(chmod(path, 0400), 0);
    assert_int_equal(harden_file(path, why, sizeof why), 0);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0400);
    unlink(path);
    assert_int_equal(harden_file(path, why, sizeof why), 0);
    tu_rmtree(dir);
    free(path);
    free(dir);
}

/* (HARDEN-H4) a state directory others can reach is refused, saying how to fix it */
static void test_dir_private(void **state)
{
    char *dir = tu_tmpdir("harden"), *file, why[512] = "";
    static const mode_t open_modes[] = {0750, 0705, 0770, 0755, 0777, 0701};
    size_t i;

    (void)state;
    assert_int_equal(chmod(dir, 0700), 0);
    assert_int_equal(harden_dir_private(dir, why, sizeof why), 0);
    for (i = 0; i < sizeof open_modes / sizeof open_modes[0]; i++) {
        assert_int_equal(chmod(dir, open_modes[i]), 0);
        assert_int_equal(harden_dir_private(dir, why, sizeof why), BN_EPERM);
        assert_non_null(strstr(why, "chmod 700"));
        assert_non_null(strstr(why, dir));
    }
    assert_int_equal(chmod(dir, 0700), 0);
    file = tu_path(dir, "x");
    assert_int_equal(tu_write(file, "x", 1), 0);
    assert_int_equal(harden_dir_private(file, why, sizeof why), BN_EIO);
    assert_int_equal(harden_dir_private("/nonexistent/borne", why, sizeof why), BN_EIO);
    free(file);
    tu_rmtree(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_file),
        cmocka_unit_test(test_dir_private),
        cmocka_unit_test(test_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
