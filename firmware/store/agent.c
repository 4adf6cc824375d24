/* agent.c - agents, their PINs and the lockout (agent.h). */
#include "agent.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "bn_err.h"
#include "pin.h"
#include "pkg.h"

/* (AGENT-A1) The lockout's state in one meta value, "FAILS UNTIL", so that
 * one transaction writes both. Kiosks of before kept two keys: read once. */
#define META_LOCK "agent:pin-lock"
#define META_FAILS "agent:pin-failures"
#define META_UNTIL "agent:locked-until"

static const char *str(const cJSON *o, const char *k)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
    return cJSON_IsString(v) ? v->valuestring : NULL;
}

int agents_load(const char *path, agents_t *out, char *why, size_t whylen)
{
    uint8_t *text = NULL;
    size_t len;
    int rc;

    memset(out, 0, sizeof *out);
    if ((rc = pkg_read_file(path, &text, &len, why, whylen)) != 0)
        return rc;
    rc = agents_parse((const char *)text, len, path, out, why, whylen);
    free(text);
    return rc;
}

int agents_parse(const char *text, size_t len, const char *path, agents_t *out, char *why,
                 size_t whylen)
{
    cJSON *root = NULL, *it;
    const char *s;
    int rc, i = 0;

    memset(out, 0, sizeof *out);
    rc = BN_EFORMAT;
    if ((root = cJSON_ParseWithLength(text, len)) == NULL ||
        (s = str(root, "format")) == NULL || strcmp(s, "borne-agents/1") != 0) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s: not an agents file (borne-agents/1)", path);
        goto out;
    }
    if ((s = str(root, "commune")) == NULL || strlen(s) != 5) {
        rc = bn_fail(why, whylen, BN_EFORMAT, "%s: commune: an INSEE code is expected", path);
        goto out;
    }
    strcpy(out->commune, s);
    cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(root, "agents")) {
        agent_t *a = &out->a[i];
        const char *id = str(it, "id"), *name = str(it, "name"), *role = str(it, "role"),
                   *pin = str(it, "pin");

        if (i == AGENT_MAX) {
            rc = bn_fail(why, whylen, BN_ETOOBIG, "%s: more than %d agents", path, AGENT_MAX);
            goto out;
        }
        if (id == NULL || strlen(id) == 0 || strlen(id) >= sizeof a->id || name == NULL ||
            strlen(name) >= sizeof a->name || role == NULL || pin == NULL ||
            strlen(pin) >= sizeof a->pin ||
            (strcmp(role, "agent") != 0 && strcmp(role, "technician") != 0)) {
            rc = bn_fail(why, whylen, BN_EFORMAT, "%s: agents[%d]: id, name, role (agent or "
                         "technician) and pin expected", path, i);
            goto out;
        }
        strcpy(a->id, id);
        strcpy(a->name, name);
        strcpy(a->pin, pin);
        a->role = strcmp(role, "agent") == 0 ? AGENT_ROLE_AGENT : AGENT_ROLE_TECHNICIAN;
        i++;
    }
    out->n = i;
    rc = 0;
out:
    cJSON_Delete(root);
    return rc;
}

static int64_t meta_int(store_t *st, const char *key)
{
    char v[32];

    return store_meta_get(st, key, v, sizeof v) == 0 ? strtoll(v, NULL, 10) : 0;
}

static void lock_get(store_t *st, int64_t *fails, int64_t *until)
{
    char v[64];
    long long f = 0, u = 0;

    if (store_meta_get(st, META_LOCK, v, sizeof v) == 0) {
        if (sscanf(v, "%lld %lld", &f, &u) != 2 || f < 0)
            f = AGENT_FREE_TRIES, u = 0; /* unreadable: as if the free tries were spent */
        *fails = f;
        *until = u;
        return;
    }
    *fails = meta_int(st, META_FAILS);
    *until = meta_int(st, META_UNTIL);
}

static int lock_put(store_t *st, int64_t fails, int64_t until)
{
    char s[64];

    snprintf(s, sizeof s, "%" PRId64 " %" PRId64, fails, until);
    return store_meta_set(st, META_LOCK, s);
}

/* The wait after `fails` wrong PINs in a row. */
static int64_t wait_after(int64_t fails)
{
    int64_t k = fails - AGENT_FREE_TRIES, wait;

    if (fails < AGENT_FREE_TRIES)
        return 0;
    wait = AGENT_WAIT_S;
    while (k-- > 0 && wait < AGENT_WAIT_MAX_S)
        wait *= 2;
    return wait > AGENT_WAIT_MAX_S ? AGENT_WAIT_MAX_S : wait;
}

int agent_login(store_t *st, const agents_t *ag, const char *pin, int64_t now,
                const agent_t **who, int64_t *wait_s, char *why, size_t whylen)
{
    int64_t fails, until, wait;
    char detail[64];
    int i, rc;

    *who = NULL;
    *wait_s = 0;
    lock_get(st, &fails, &until);
    /* (AGENT-A1) locked: nothing is checked until the wait is over */
    if (now < until) {
        *wait_s = until - now;
        return bn_fail(why, whylen, BN_ELOCKED, "too many wrong PINs: wait %" PRId64 " s",
                       *wait_s);
    }
    /* (AGENT-A1) The try is counted as a wrong one, and its wait set, in
     * one durable transaction before the PIN is looked at: switching the
     * kiosk off while the PIN is checked (or before its result is shown)
     * cannot give a free try. A right PIN clears it below. */
    fails++;
    wait = wait_after(fails);
    if ((rc = lock_put(st, fails, wait > 0 ? now + wait : 0)) != 0)
        return bn_fail(why, whylen, rc, "the PIN cannot be checked: store: %s", bn_strerror(rc));
    for (i = 0; pin_valid(pin) && i < ag->n; i++) {
        if (pin_check(ag->a[i].pin, pin)) {
            *who = &ag->a[i];
            break;
        }
    }
    if (*who != NULL) {
        if ((rc = lock_put(st, 0, 0)) != 0 ||
            (rc = store_audit_append(st, "agent-in", (*who)->id)) != 0) {
            *who = NULL;
            return bn_fail(why, whylen, rc, "store: %s", bn_strerror(rc));
        }
        return 0;
    }
    snprintf(detail, sizeof detail, "failure %" PRId64, fails);
    if ((rc = store_audit_append(st, "agent-pin-refused", detail)) != 0)
        return bn_fail(why, whylen, rc, "store: %s", bn_strerror(rc));
    *wait_s = wait;
    if (wait > 0)
        return bn_fail(why, whylen, BN_EBADPIN, "wrong PIN: wait %" PRId64 " s before the next "
                       "try", wait);
    return bn_fail(why, whylen, BN_EBADPIN, "wrong PIN: %" PRId64 " tr%s left before a wait",
                   AGENT_FREE_TRIES - fails, AGENT_FREE_TRIES - fails == 1 ? "y" : "ies");
}
