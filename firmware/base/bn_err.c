/* bn_err.c - error strings of the borne core library. */
#include "bn_err.h"

#include <stdarg.h>
#include <stdio.h>

const char *bn_strerror(int code)
{
    switch (code) {
    case 0: return "success";
#define BN__CASE(name, c, text) case c: return text;
    BN_ERR_MAP(BN__CASE)
#undef BN__CASE
    default: return "unknown error";
    }
}

int bn_fail(char *why, size_t whylen, int code, const char *fmt, ...)
{
    va_list ap;

    if (why != NULL && whylen > 0) {
        va_start(ap, fmt);
        vsnprintf(why, whylen, fmt, ap);
        va_end(ap);
    }
    return code;
}
