/* sigverify_openssl.h - the OpenSSL libcrypto backend of sigverify.h, for
 * bulk verification (borne-server, borne-tally; library firmware_bulk). */
#ifndef SIGVERIFY_OPENSSL_H
#define SIGVERIFY_OPENSSL_H

#include "sigverify.h"

extern const sigverify_backend_t sigverify_openssl;

#endif
