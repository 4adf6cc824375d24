/* day.c - civil dates as day numbers since 1970-01-01 (proleptic Gregorian). */
#include "day.h"

#include <time.h>

#include "bn_err.h"

static int is_leap(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
    static const int len[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

    return m == 2 && is_leap(y) ? 29 : len[m - 1];
}

/* Days from civil (Howard Hinnant's algorithm, reasoned from the 400-year
 * cycle: eras start on 1 March so the leap day ends the year). */
static int64_t days_from_civil(int y, int m, int d)
{
    int64_t era, yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = y - era * 400;
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

int day_from_ymd(int year, int month, int mday, uint32_t *out)
{
    int64_t z;

    if (year < 1900 || year > 9999 || month < 1 || month > 12 || mday < 1 ||
        mday > month_days(year, month))
        return BN_ERANGE;
    z = days_from_civil(year, month, mday);
    if (z < 0)
        return BN_ERANGE; /* before 1970: not a day number (see day_parse_ymd) */
    *out = (uint32_t)z;
    return 0;
}

void day_to_ymd(uint32_t day, int *year, int *month, int *mday)
{
    int64_t z = (int64_t)day + 719468;
    int64_t era = z / 146097;
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t y = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    int64_t d = doy - (153 * mp + 2) / 5 + 1;
    int64_t m = mp < 10 ? mp + 3 : mp - 9;

    *year = (int)(y + (m <= 2));
    *month = (int)m;
    *mday = (int)d;
}

int day_parse_ymd(const char *t, int *year, int *month, int *mday)
{
    int i, y, m, d;

    if (t == NULL)
        return BN_EFORMAT;
    for (i = 0; i < DAY_TEXT_LEN; i++) {
        if (i == 4 || i == 7) {
            if (t[i] != '-')
                return BN_EFORMAT;
        } else if (t[i] < '0' || t[i] > '9') {
            return BN_EFORMAT;
        }
    }
    if (t[DAY_TEXT_LEN] != '\0')
        return BN_EFORMAT;
    y = (t[0] - '0') * 1000 + (t[1] - '0') * 100 + (t[2] - '0') * 10 + (t[3] - '0');
    m = (t[5] - '0') * 10 + (t[6] - '0');
    d = (t[8] - '0') * 10 + (t[9] - '0');
    if (y < 1900 || m < 1 || m > 12 || d < 1 || d > month_days(y, m))
        return BN_ERANGE;
    *year = y;
    *month = m;
    *mday = d;
    return 0;
}

int day_parse(const char *t, uint32_t *out)
{
    int y, m, d, rc;

    rc = day_parse_ymd(t, &y, &m, &d);
    return rc != 0 ? rc : day_from_ymd(y, m, d, out);
}

void day_format(uint32_t day, char *out)
{
    int y, m, d;

    day_to_ymd(day, &y, &m, &d);
    y %= 10000;
    out[0] = (char)('0' + y / 1000);
    out[1] = (char)('0' + y / 100 % 10);
    out[2] = (char)('0' + y / 10 % 10);
    out[3] = (char)('0' + y % 10);
    out[4] = '-';
    out[5] = (char)('0' + m / 10);
    out[6] = (char)('0' + m % 10);
    out[7] = '-';
    out[8] = (char)('0' + d / 10);
    out[9] = (char)('0' + d % 10);
    out[10] = '\0';
}

uint32_t day_today(void)
{
    time_t now = time(NULL);

    return now < 0 ? 0 : (uint32_t)(now / 86400);
}

int day_age(int by, int bm, int bd, uint32_t day)
{
    int y, m, d, age;

    day_to_ymd(day, &y, &m, &d);
    age = y - by;
    /* 29 February: the birthday falls on 1 March in common years. */
    if (bm == 2 && bd == 29 && !is_leap(y)) {
        bm = 3;
        bd = 1;
    }
    if (m < bm || (m == bm && d < bd))
        age--;
    return age < 0 ? 0 : age;
}
