/* escpos.h - printing a poll report on a receipt printer: the ESC/POS
 * commands the common 58/80 mm thermal printers understand, written to
 * their device (/dev/usb/lp0) or, in tests, to a file.
 *
 * What is sent: ESC @ (reset), the text left-aligned (bytes outside
 * printable ASCII become '?': the report is ASCII), ESC a 1 (centre), the
 * QR code of `qr` (GS ( k: model 2, module size 6, error correction M,
 * store, print), three line feeds and GS V 66 0 (feed and cut). The format
 * and a decoder are in docs/formats.md, "Receipt printer". */
#ifndef ESCPOS_H
#define ESCPOS_H

#include <stddef.h>

/* Appends the job to `device` (created when it is a plain file path that
 * does not exist). BN_EIO with the device and the error in why: an absent
 * printer, one out of paper (the driver refuses the write), a full disk. */
int escpos_print(const char *device, const char *text, size_t len, const char *qr, char *why,
                 size_t whylen);

#endif
