/* test_tpm.c - the kiosk's key in a TPM 2.0 (tpm.h), against swtpm, the
 * software TPM of Debian's swtpm package. Skipped, saying so, when swtpm is
 * not installed.
 *
 *   (TPM-T1) the key is made by the TPM, bound to it, sign-only; the same
 *            key comes back after a reconnection and after the TPM restarts;
 *            its signatures verify with the public key alone (key.h), and a
 *            ballot signed through the signer interface verifies; a cast
 *            at the kiosk goes through with it
 *   (TPM-T2) the TPM gone: the cast is refused, nothing written
 *   (TPM-T3) an owner hierarchy with a password: refused in words, nothing
 *            locked out, the same key once it is removed */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "ballot.h"
#include "bn_err.h"
#include "cast.h"
#include "csr.h"
#include "seal.h"
#include "day.h"
#include "key.h"
#include "pkg.h"
#include "rng.h"
#include "store.h"
#include "testutil.h"
#include "tpm.h"

#include <tss2/tss2_esys.h>
#include <tss2/tss2_tctildr.h>

typedef struct fx_s {
    char *dir, *state;
    pid_t swtpm;
    int port;
    char tcti[64];
} fx_t;

static int have_swtpm(void)
{
    return system("command -v swtpm >/dev/null 2>&1") == 0;
}

/* A free TCP port pair on loopback (the kernel's pick, then let go). */
static int free_port(void)
{
    struct sockaddr_in a;
    socklen_t len = sizeof a;
    int fd = socket(AF_INET, SOCK_STREAM, 0), port;

    memset(&a, 0, sizeof a);
    a.sin_family = AF_INET;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
    assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
    port = ntohs(a.sin_port);
    close(fd);
    return port < 65000 ? port : port - 1000;
}

static void swtpm_start(fx_t *f)
{
    char server[64], ctrl[64], state[600];
    int i;

    snprintf(server, sizeof server, "type=tcp,port=%d,bindaddr=127.0.0.1", f->port);
    snprintf(ctrl, sizeof ctrl, "type=tcp,port=%d,bindaddr=127.0.0.1", f->port + 1);
    snprintf(state, sizeof state, "dir=%s", f->state);
    f->swtpm = fork();
    assert_true(f->swtpm >= 0);
    if (f->swtpm == 0) {
        execlp("swtpm", "swtpm", "socket", "--tpm2", "--server", server, "--ctrl", ctrl,
               "--tpmstate", state, "--flags", "not-need-init,startup-clear", (char *)NULL);
        _exit(127);
    }
    /* ready when a connection works */
    for (i = 0; i < 100; i++) {
        tpm_t *t = NULL;
        char why[256];
        struct timespec d = {0, 50 * 1000000L};

        if (tpm_open(f->tcti, &t, why, sizeof why) == 0) {
            tpm_close(t);
            return;
        }
        nanosleep(&d, NULL);
    }
    fail_msg("swtpm did not start on port %d", f->port);
}

static void swtpm_stop(fx_t *f)
{
    int status;

    if (f->swtpm > 0) {
        kill(f->swtpm, SIGTERM);
        waitpid(f->swtpm, &status, 0);
        f->swtpm = 0;
    }
}

static int setup(void **state)
{
    fx_t *f = calloc(1, sizeof *f);

    assert_non_null(f);
    *state = f;
    if (!have_swtpm())
        return 0;
    f->dir = tu_tmpdir("tpm");
    f->state = tu_path(f->dir, "swtpm");
    assert_int_equal(mkdir(f->state, 0700), 0);
    f->port = free_port();
    snprintf(f->tcti, sizeof f->tcti, "swtpm:host=127.0.0.1,port=%d", f->port);
    swtpm_start(f);
    return 0;
}

static int teardown(void **state)
{
    fx_t *f = *state;

    swtpm_stop(f);
    if (f->dir != NULL)
        tu_rmtree(f->dir);
    free(f->dir);
    free(f->state);
    free(f);
    return 0;
}

#define NEED_SWTPM()                                                                      \
    do {                                                                                  \
        if (!have_swtpm()) {                                                              \
            printf("swtpm is not installed (apt-get install swtpm): TPM test skipped\n"); \
            skip();                                                                       \
        }                                                                                 \
    } while (0)

static double now_s(void)
{
    struct timespec t;

    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* (TPM-T1) signatures that verify with the public key alone; the figure */
static void test_tpm_signs(void **state)
{
    fx_t *f = *state;
    tpm_t *t = NULL;
    signer_t s;
    char why[256] = "";
    uint8_t d[32], sig[KEY_SIG_LEN];
    double t0, t1;
    int i, n = 100;

    NEED_SWTPM();
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    if (tpm_key(t, &s, why, sizeof why) != 0)
        fail_msg("%s", why);
    t0 = now_s();
    for (i = 0; i < n; i++) {
        memset(d, i, sizeof d);
        assert_int_equal(s.sign(s.ctx, d, sig), 0);
    }
    t1 = now_s();
    printf("tpm_sign_per_s %.0f /s (swtpm over TCP)\n", n / (t1 - t0));
    for (i = 0; i < n; i++) {
        memset(d, i, sizeof d);
        assert_int_equal(s.sign(s.ctx, d, sig), 0);
        if (key_verify(&s.pub, d, sig) != 0)
            fail_msg("signature %d of the TPM does not verify", i);
        d[0] ^= 1; /* another digest: refused */
        assert_int_equal(key_verify(&s.pub, d, sig), BN_EBADSIG);
    }
    tpm_close(t);
}

/* (TPM-T1) the same key after a reconnection and after the TPM restarts:
 * nothing of it on the disk, and it is not a key in a file */
static void test_tpm_same_key_again(void **state)
{
    fx_t *f = *state;
    tpm_t *t = NULL;
    signer_t a, b, c;
    char why[256] = "";

    NEED_SWTPM();
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    assert_int_equal(tpm_key(t, &a, why, sizeof why), 0);
    tpm_close(t);
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    assert_int_equal(tpm_key(t, &b, why, sizeof why), 0);
    tpm_close(t);
    assert_memory_equal(a.pub.pub, b.pub.pub, KEY_PUB_LEN);
    swtpm_stop(f);
    swtpm_start(f);
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    assert_int_equal(tpm_key(t, &c, why, sizeof why), 0);
    tpm_close(t);
    assert_memory_equal(a.pub.pub, c.pub.pub, KEY_PUB_LEN);
}

/* A ballot signed through the signer interface, and a whole cast */
static void test_tpm_cast(void **state)
{
    fx_t *f = *state;
    tpm_t *t = NULL;
    signer_t s;
    store_t *st = NULL;
    pkg_t *p = NULL;
    rng_t *rng = NULL;
    cast_ctx_t ctx;
    cast_receipt_t rec;
    cast_identity_t who = {"Le Gall", "Éloïse", "1987-04-12", "35238"};
    char why[256] = "", *path = tu_asset("campaigns/demo-budget.json"), *db;
    uint8_t *json, *enc = NULL, seed[] = "test_tpm";
    size_t len;
    int64_t reg, box;
    uint32_t day;
    int sel[2];

    NEED_SWTPM();
    json = tu_read(path, &len);
    assert_non_null(json);
    assert_int_equal(pkg_parse((char *)json, len, &p, why, sizeof why), 0);
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    db = tu_path(f->dir, "kiosk.db");
    assert_int_equal(store_open(db, &st, why, sizeof why), 0);
    memset(&ctx, 0, sizeof ctx);
    ctx.store = st;
    ctx.pkg = p;
    ctx.rng = rng;
    assert_int_equal(rng_bytes(rng, ctx.secret, 32), 0);
    assert_int_equal(store_put_campaign(st, p->id, (const uint8_t *)"pkg", 3, ctx.secret), 0);
    assert_int_equal(store_meta_set(st, "polls:bp35-demo", "open"), 0);
    assert_int_equal(day_parse("2026-11-28", &day), 0);
    sel[0] = pkg_find_project(p, "ren-velo");
    sel[1] = pkg_find_project(p, "ren-jardin");
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    assert_int_equal(tpm_key(t, &s, why, sizeof why), 0);
    ctx.signer = &s;
    if (cast_budget(&ctx, &who, sel, 2, day, &rec, why, sizeof why) != 0)
        fail_msg("a cast signed by the TPM: %s", why);
    assert_int_equal(store_get_ballot(st, rec.ballot_id, &enc, &len), 0);
    assert_int_equal(ballot_verify(enc, len, &s.pub), 0);
    free(enc);
    /* (TPM-T2) the TPM gone: refused, nothing written */
    swtpm_stop(f);
    who.last_name = "Morvan";
    assert_true(cast_budget(&ctx, &who, sel, 2, day, &rec, why, sizeof why) != 0);
    assert_string_equal(rec.tracking, "");
    assert_int_equal(store_counts(st, p->id, &reg, &box), 0);
    assert_int_equal(reg, 1);
    assert_int_equal(box, 1);
    tpm_close(t);
    /* back: the same person votes */
    swtpm_start(f);
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    assert_int_equal(tpm_key(t, &s, why, sizeof why), 0);
    ctx.signer = &s;
    assert_int_equal(cast_budget(&ctx, &who, sel, 2, day, &rec, why, sizeof why), 0);
    tpm_close(t);
    store_close(st);
    pkg_free(p);
    rng_close(rng);
    free(json);
    free(path);
    free(db);
}

/* key_from_signer: the TPM key as a key pair, for what signs through
 * mbedTLS (the certificate request; TLS client authentication): a request
 * that csr_check verifies with the TPM key's public half; no PEM of it */
static void test_tpm_key_pair(void **state)
{
    fx_t *f = *state;
    tpm_t *t = NULL;
    signer_t s, back;
    key_pair_t *k = NULL;
    key_pub_t pub;
    rng_t *rng = NULL;
    char why[256] = "", pem[CSR_PEM_MAX], kp[KEY_PEM_MAX];
    uint8_t seed[] = "tpm-csr", d[32] = {1}, sig[KEY_SIG_LEN];
    size_t len;

    NEED_SWTPM();
    assert_int_equal(rng_open_fixed(&rng, seed, sizeof seed - 1), 0);
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    assert_int_equal(tpm_key(t, &s, why, sizeof why), 0);
    assert_int_equal(key_from_signer(&s, tpm_ecdh, &k), 0);
    key_signer(k, &back);
    assert_int_equal(back.sign(back.ctx, d, sig), 0);
    assert_int_equal(key_verify(&s.pub, d, sig), 0);
    if (csr_make(k, rng, "kiosk-35238-09", pem, sizeof pem, &len) != 0)
        fail_msg("a certificate request signed in the TPM could not be made");
    if (csr_check(pem, len, &pub, why, sizeof why) != 0)
        fail_msg("the TPM's certificate request does not verify: %s", why);
    assert_memory_equal(pub.pub, s.pub.pub, KEY_PUB_LEN);
    /* (TPM-T1) nothing of the private key to write */
    assert_int_equal(key_to_pem(k, kp, sizeof kp, &len), BN_EKEY);
    /* a campaign secret sealed to the kiosk (as borne-admin seals it in a
     * provisioning bundle) opens through the TPM's ECDH, and only with
     * its label */
    {
        static const uint8_t secret[32] = "a campaign secret, 32 bytes.....";
        uint8_t sealed[32 + SEAL_OVERHEAD], opened[32];

        assert_int_equal(seal_to(&s.pub, "borne-secret", (const uint8_t *)"bp35", 4, secret, 32,
                                 rng, sealed), 0);
        assert_int_equal(seal_open(k, "borne-secret", (const uint8_t *)"bp35", 4, sealed,
                                   sizeof sealed, opened), 0);
        assert_memory_equal(opened, secret, 32);
        assert_int_equal(seal_open(k, "borne-other", (const uint8_t *)"bp35", 4, sealed,
                                   sizeof sealed, opened), BN_EBADSIG);
    }
    key_free(k);
    tpm_close(t);
    rng_close(rng);
}

/* The TPM's owner hierarchy through ESAPI directly, as a technician's
 * tpm2_changeauth would set it. */
typedef struct owner_s {
    TSS2_TCTI_CONTEXT *tcti;
    ESYS_CONTEXT *esys;
} owner_t;

static void owner_open(fx_t *f, owner_t *o)
{
    assert_int_equal(Tss2_TctiLdr_Initialize(f->tcti, &o->tcti), TSS2_RC_SUCCESS);
    assert_int_equal(Esys_Initialize(&o->esys, o->tcti, NULL), TSS2_RC_SUCCESS);
}

static void owner_close(owner_t *o)
{
    Esys_Finalize(&o->esys);
    Tss2_TctiLdr_Finalize(&o->tcti);
}

/* from `old` to `new` (either may be "") */
static void owner_password(fx_t *f, const char *old, const char *new)
{
    owner_t o;
    TPM2B_AUTH a = {0}, b = {0};

    owner_open(f, &o);
    a.size = (UINT16)strlen(old);
    memcpy(a.buffer, old, a.size);
    b.size = (UINT16)strlen(new);
    memcpy(b.buffer, new, b.size);
    assert_int_equal(Esys_TR_SetAuth(o.esys, ESYS_TR_RH_OWNER, &a), TSS2_RC_SUCCESS);
    assert_int_equal(Esys_HierarchyChangeAuth(o.esys, ESYS_TR_RH_OWNER, ESYS_TR_PASSWORD,
                                              ESYS_TR_NONE, ESYS_TR_NONE, &b), TSS2_RC_SUCCESS);
    owner_close(&o);
}

/* The TPM's count of failed authorisations (dictionary-attack protection). */
static UINT32 lockout_counter(fx_t *f)
{
    owner_t o;
    TPMS_CAPABILITY_DATA *cap = NULL;
    TPMI_YES_NO more = 0;
    UINT32 n = 0xFFFFFFFF;

    owner_open(f, &o);
    assert_int_equal(Esys_GetCapability(o.esys, ESYS_TR_NONE, ESYS_TR_NONE, ESYS_TR_NONE,
                                        TPM2_CAP_TPM_PROPERTIES, TPM2_PT_LOCKOUT_COUNTER, 1,
                                        &more, &cap), TSS2_RC_SUCCESS);
    if (cap->data.tpmProperties.count == 1 &&
        cap->data.tpmProperties.tpmProperty[0].property == TPM2_PT_LOCKOUT_COUNTER)
        n = cap->data.tpmProperties.tpmProperty[0].value;
    Esys_Free(cap);
    owner_close(&o);
    return n;
}

/* (TPM-T3) An owner hierarchy with a password: refused in words that say so
 * and how to fix it, ten starts in a row lock nothing out, and once the
 * password is removed the same key comes back. */
static void test_tpm_owner_password(void **state)
{
    fx_t *f = *state;
    tpm_t *t = NULL;
    signer_t a, b;
    char why[512] = "";
    int i;

    NEED_SWTPM();
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    assert_int_equal(tpm_key(t, &a, why, sizeof why), 0);
    tpm_close(t);
    owner_password(f, "", "mot de passe du service");
    for (i = 0; i < 10; i++) {
        assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
        assert_int_equal(tpm_key(t, &b, why, sizeof why), BN_ECRYPTO);
        tpm_close(t);
        if (strstr(why, "owner hierarchy has a password") == NULL ||
            strstr(why, "tpm2_changeauth -c owner") == NULL)
            fail_msg("the refusal does not say what is wrong: %s", why);
        /* no secret of the test in the words */
        assert_null(strstr(why, "mot de passe"));
    }
    printf("owner password refused: %s\n", why);
    assert_int_equal(lockout_counter(f), 0);
    owner_password(f, "mot de passe du service", "");
    assert_int_equal(tpm_open(f->tcti, &t, why, sizeof why), 0);
    if (tpm_key(t, &b, why, sizeof why) != 0)
        fail_msg("%s", why);
    tpm_close(t);
    assert_memory_equal(a.pub.pub, b.pub.pub, KEY_PUB_LEN);
}

/* No TPM there: words, not a crash */
static void test_tpm_absent(void **state)
{
    tpm_t *t = NULL;
    char why[256] = "";

    (void)state;
    NEED_SWTPM();
    assert_int_equal(tpm_open("swtpm:host=127.0.0.1,port=9", &t, why, sizeof why), BN_EIO);
    assert_null(t);
    assert_non_null(strstr(why, "tpm"));
    assert_int_equal(tpm_open("nosuchtcti", &t, why, sizeof why), BN_EIO);
    tpm_close(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tpm_signs),
        cmocka_unit_test(test_tpm_same_key_again),
        cmocka_unit_test(test_tpm_cast),
        cmocka_unit_test(test_tpm_key_pair),
        cmocka_unit_test(test_tpm_absent),
        cmocka_unit_test(test_tpm_owner_password),
    };

    setvbuf(stdout, NULL, _IONBF, 0);
    return cmocka_run_group_tests(tests, setup, teardown);
}
