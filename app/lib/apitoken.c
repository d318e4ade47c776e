/* Personal access token text and the Authorization header (see
 * include/lib/apitoken.h). Pure; never looks a token up or logs one. */
#include "lib/apitoken.h"

#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <zlib.h>

static const char base62[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/* n bytes as a big-endian number, written as exactly digits base62 digits
 * (the number must fit: 32 bytes in 43 digits, 4 in 6). */
static void base62_fixed(const unsigned char *in, size_t n, char *out, size_t digits)
{
    unsigned char num[32];
    memcpy(num, in, n);
    for (size_t d = digits; d-- > 0;) {
        unsigned rem = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned cur = rem * 256u + num[i];
            num[i] = (unsigned char)(cur / 62u);
            rem = cur % 62u;
        }
        out[d] = base62[rem];
    }
}

/* The checksum digits of the random part. */
static void checksum(const char *random, char out[APITOKEN_CHECK_LEN])
{
    uLong crc = crc32(0L, (const Bytef *)random, APITOKEN_RANDOM_LEN);
    unsigned char be[4] = {(unsigned char)(crc >> 24), (unsigned char)(crc >> 16),
                           (unsigned char)(crc >> 8), (unsigned char)crc};
    base62_fixed(be, 4, out, APITOKEN_CHECK_LEN);
}

void apitoken_format(const unsigned char raw[32], char out[APITOKEN_TEXT])
{
    char *random = out + APITOKEN_PREFIX_LEN;
    memcpy(out, APITOKEN_PREFIX, APITOKEN_PREFIX_LEN);
    base62_fixed(raw, 32, random, APITOKEN_RANDOM_LEN);
    checksum(random, random + APITOKEN_RANDOM_LEN);
    out[APITOKEN_LEN] = '\0';
}

int apitoken_new(char out[APITOKEN_TEXT])
{
    unsigned char raw[32];
    if (getrandom(raw, sizeof(raw), 0) != (ssize_t)sizeof(raw))
        return -1;
    apitoken_format(raw, out);
    return 0;
}

static int is_base62(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

int apitoken_check(const char *s, size_t len)
{
    if (s == NULL || len != APITOKEN_LEN || memcmp(s, APITOKEN_PREFIX, APITOKEN_PREFIX_LEN) != 0)
        return 0;
    for (size_t i = APITOKEN_PREFIX_LEN; i < APITOKEN_LEN; i++)
        if (!is_base62(s[i]))
            return 0;
    char want[APITOKEN_CHECK_LEN];
    checksum(s + APITOKEN_PREFIX_LEN, want);
    return memcmp(want, s + APITOKEN_PREFIX_LEN + APITOKEN_RANDOM_LEN, APITOKEN_CHECK_LEN) == 0;
}

static int token68_char(char c)
{
    return is_base62(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
}

enum apitoken_auth apitoken_authorization(const char *h, const char **token, size_t *len)
{
    *token = NULL;
    *len = 0;
    if (h == NULL)
        return APITOKEN_AUTH_NONE;
    size_t scheme = strcspn(h, " \t");
    if (scheme != 6 || strncasecmp(h, "Bearer", 6) != 0)
        return APITOKEN_AUTH_NONE; /* another scheme, or none: not a token of ours */
    const char *t = h + 7;
    if (strnlen(h, APITOKEN_HEADER_MAX + 1) > APITOKEN_HEADER_MAX || h[6] != ' ')
        return APITOKEN_AUTH_MALFORMED;
    size_t n = 0;
    while (token68_char(t[n]))
        n++;
    size_t end = n;
    while (t[end] == '=')
        end++;
    if (n == 0 || t[end] != '\0')
        return APITOKEN_AUTH_MALFORMED; /* empty, a second space, junk or a control byte */
    *token = t;
    *len = end;
    return APITOKEN_AUTH_BEARER;
}

/* Reads exactly n decimal digits at *p into *out and advances *p. */
static int digits(const char **p, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9')
            return -1;
        v = v * 10 + (c - '0');
    }
    *p += n;
    *out = v;
    return 0;
}

static int expect(const char **p, const char *set)
{
    if (**p == '\0' || strchr(set, **p) == NULL)
        return -1;
    (*p)++;
    return 0;
}

static int days_in_month(int y, int m)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static long long days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* The offset: "Z", or "+HH:MM" / "-HH:MM", in seconds east of UTC. */
static int zone(const char **p, long long *offset)
{
    if (**p == 'Z' || **p == 'z') {
        (*p)++;
        *offset = 0;
        return 0;
    }
    int sign = **p == '+' ? 1 : **p == '-' ? -1 : 0, hh, mm;
    if (sign == 0)
        return -1;
    (*p)++;
    if (digits(p, 2, &hh) || expect(p, ":") || digits(p, 2, &mm) || hh > 23 || mm > 59)
        return -1;
    *offset = sign * (hh * 3600LL + mm * 60LL);
    return 0;
}

int apitoken_time_parse(const char *s, long long *epoch)
{
    int y, mo, d, h, mi, sec;
    long long offset = 0;
    const char *p = s;
    if (s == NULL || strnlen(s, 65) > 64)
        return -1;
    if (digits(&p, 4, &y) || expect(&p, "-") || digits(&p, 2, &mo) || expect(&p, "-") ||
        digits(&p, 2, &d) || expect(&p, "Tt") || digits(&p, 2, &h) || expect(&p, ":") ||
        digits(&p, 2, &mi) || expect(&p, ":") || digits(&p, 2, &sec))
        return -1;
    if (*p == '.') {
        p++;
        if (*p < '0' || *p > '9')
            return -1;
        while (*p >= '0' && *p <= '9')
            p++;
    }
    if (zone(&p, &offset) != 0 || *p != '\0')
        return -1;
    if (mo < 1 || mo > 12 || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
        return -1;
    if (sec == 60) /* a leap second: the instant just before the next minute */
        sec = 59;
    *epoch = days_from_civil(y, mo, d) * 86400LL + h * 3600LL + mi * 60LL + sec - offset;
    return 0;
}
