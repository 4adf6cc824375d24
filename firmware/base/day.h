/* day.h - civil dates as day numbers: the only time unit a ballot carries.
 *
 * A day is the number of days since 1970-01-01 (proleptic Gregorian, UTC),
 * so that dates compare as integers. Text form is ISO 8601 "YYYY-MM-DD". */
#ifndef DAY_H
#define DAY_H

#include <stdint.h>

#define DAY_TEXT_LEN 10 /* "YYYY-MM-DD" without the terminating NUL */

/* Day number of a valid date; year 1900..9999, month 1..12, day within the
 * month. Returns 0 and sets *out, or BN_ERANGE for an impossible date. */
int day_from_ymd(int year, int month, int mday, uint32_t *out);

/* The date of a day number. */
void day_to_ymd(uint32_t day, int *year, int *month, int *mday);

/* Parses exactly "YYYY-MM-DD" (no spaces, no other form). BN_EFORMAT for
 * text that is not of that form, BN_ERANGE for an impossible date. */
int day_parse(const char *text, uint32_t *out);

/* Writes "YYYY-MM-DD" and a NUL into out (at least DAY_TEXT_LEN + 1 bytes). */
void day_format(uint32_t day, char *out);

/* Today's day number from the system clock (UTC). */
uint32_t day_today(void);

/* Parses exactly "YYYY-MM-DD" into its parts, checking the date exists
 * (years 1900..9999; before 1970 too: birth dates). BN_EFORMAT, BN_ERANGE. */
int day_parse_ymd(const char *text, int *year, int *month, int *mday);

/* Completed years of age on `day` of someone born on year-month-mday (0 if
 * born after `day`). Born on 29 February: the birthday is 1 March in common
 * years. */
int day_age(int year, int month, int mday, uint32_t day);

#endif
