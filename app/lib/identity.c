/* Account identities: the normal form of usernames and emails and the rules
 * they follow. Shared by the HTTP handlers and the command line. Pure. */
#include "lib/identity.h"

#include <string.h>

/* Copies in without surrounding white space, lower-cased when lower. */
static long trim_copy(const char *in, char *out, unsigned long size, int lower)
{
    while (*in == ' ' || *in == '\t')
        in++;
    size_t n = strlen(in);
    while (n > 0 && (in[n - 1] == ' ' || in[n - 1] == '\t'))
        n--;
    if (n >= size)
        return -1;
    for (size_t i = 0; i < n; i++)
        out[i] = lower && in[i] >= 'A' && in[i] <= 'Z' ? (char)(in[i] - 'A' + 'a') : in[i];
    out[n] = '\0';
    return (long)n;
}

long identity_normalize(const char *in, char *out, unsigned long size)
{
    return trim_copy(in, out, size, 1);
}

long identity_trim(const char *in, char *out, unsigned long size)
{
    return trim_copy(in, out, size, 0);
}

int identity_username_valid(const char *norm)
{
    size_t n = strlen(norm);
    if (n < 3 || n > 32)
        return 0;
    return strspn(norm, "abcdefghijklmnopqrstuvwxyz0123456789_.-") == n;
}

int identity_email_valid(const char *norm)
{
    size_t n = strlen(norm);
    const char *at = strchr(norm, '@');
    if (n < 3 || n > 254 || at == NULL || at == norm || strchr(at + 1, '@') != NULL)
        return 0;
    const char *dot = strrchr(at + 1, '.');
    if (dot == NULL || dot == at + 1 || dot[1] == '\0')
        return 0;
    return strpbrk(norm, " \t\r\n") == NULL;
}
