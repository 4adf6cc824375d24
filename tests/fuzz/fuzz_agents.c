/* fuzz_agents.c - libFuzzer target: agents.json, the town hall's agents as
 * a provisioning bundle brings them to the kiosk (agent.h), read by
 * agents_parse (agents_load reads the file, then calls it): what reads has a
 * 5-character commune, at most AGENT_MAX agents, each with an id, a name
 * and a PIN hash NUL-terminated within their fields and a known role; what
 * does not read says why, never with the PIN hash in the message. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "agent.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static agents_t ag;
    char why[512] = "";
    int i;

    if (agents_parse((const char *)data, size, "agents.json", &ag, why, sizeof why) != 0) {
        if (why[0] == '\0')
            abort();
        /* the PINs read before the refusal, never quoted: a stored hash
         * has a '$' (pbkdf2-sha256$...), which no message's own words have
         * (a "pin" of "technician" is a word of the message: not a leak,
         * regression-pin-in-words) */
        for (i = 0; i < AGENT_MAX; i++)
            if (strchr(ag.a[i].pin, '$') != NULL && strlen(ag.a[i].pin) >= 8 &&
                strstr(why, ag.a[i].pin) != NULL)
                abort();
        return 0;
    }
    if (strlen(ag.commune) != 5 || ag.n < 0 || ag.n > AGENT_MAX)
        abort();
    for (i = 0; i < ag.n; i++)
        if (memchr(ag.a[i].id, '\0', sizeof ag.a[i].id) == NULL || ag.a[i].id[0] == '\0' ||
            memchr(ag.a[i].name, '\0', sizeof ag.a[i].name) == NULL ||
            memchr(ag.a[i].pin, '\0', sizeof ag.a[i].pin) == NULL ||
            (ag.a[i].role != AGENT_ROLE_AGENT && ag.a[i].role != AGENT_ROLE_TECHNICIAN))
            abort();
    return 0;
}
