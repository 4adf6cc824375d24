/* bn_err.h - the error codes of the borne core library, one table for all modules.
 *
 * Every function of firmware/ that can fail returns an int: 0 on success, one
 * of the negative BN_E* codes below on failure. Functions that can say more
 * (which field, which value) also fill a caller's `why` buffer; the code
 * alone is always enough to decide what to do. */
#ifndef BN_ERR_H
#define BN_ERR_H

#include <stddef.h>

#define BN_ERR_MAP(X)                                                        \
    X(NOMEM,     -1,  "out of memory")                                       \
    X(IO,        -2,  "input/output error")                                  \
    X(INVAL,     -3,  "invalid argument")                                    \
    X(FORMAT,    -4,  "malformed data")                                      \
    X(RANGE,     -5,  "value out of range")                                  \
    X(TOOBIG,    -6,  "data too large")                                      \
    X(UNSIGNED,  -7,  "not signed")                                          \
    X(BADSIG,    -8,  "signature does not verify")                           \
    X(WRONGKEY,  -9,  "signed by another key")                               \
    X(EXPIRED,   -10, "no longer valid")                                     \
    X(NOTYET,    -11, "not yet valid")                                       \
    X(KEY,       -12, "bad or unusable key")                                 \
    X(PERM,      -13, "file permissions too open")                           \
    X(RNG,       -14, "random generator failure")                            \
    X(CRYPTO,    -15, "cryptographic operation failed")                      \
    X(ALREADY,   -16, "this person has already taken part")                  \
    X(NOTFOUND,  -17, "not found")                                           \
    X(EXISTS,    -18, "already exists")                                      \
    X(STORE,     -19, "store failure")                                       \
    X(CORRUPT,   -20, "store is corrupt")                                    \
    X(FULL,      -21, "storage is full")                                     \
    X(SCHEMA,    -22, "store schema is newer than this firmware")            \
    X(RULE,      -23, "selection breaks the ballot rule")                    \
    X(CHECK,     -24, "check character does not match")                      \
    X(DEPT,      -25, "package is for another departement")                  \
    X(KIND,      -26, "wrong campaign kind")                                 \
    X(CLOSED,    -27, "polls are not open")                                 \
    X(REVOKED,   -28, "kiosk has been revoked")                              \
    X(OFFLINE,   -29, "the server cannot be reached, and this campaign takes part online only") \
    X(BADPIN,    -30, "wrong PIN")                                           \
    X(LOCKED,    -31, "too many wrong PINs: wait before trying again")       \
    X(DOUBT,     -32, "written, but the disk did not confirm it")

enum {
#define BN__ENUM(name, code, text) BN_E##name = code,
    BN_ERR_MAP(BN__ENUM)
#undef BN__ENUM
};

/* A static, English, one-line description of `code` (0 gives "success";
 * an unknown code gives "unknown error"). Never NULL. */
const char *bn_strerror(int code);

/* Formats into `why` (may be NULL, then does nothing) and returns `code`,
 * so that a failing function can `return bn_fail(why, n, BN_EFORMAT, ...)`. */
int bn_fail(char *why, size_t whylen, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

#endif
