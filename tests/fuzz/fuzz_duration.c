/* libFuzzer target: the ISO 8601 duration reader. Minutes are within
 * 0..DURATION_MINUTES_CAP; the result does not depend on letter case or on
 * surrounding white space; a refused input leaves *minutes alone; only
 * len bytes are read. */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lib/duration.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 2); /* " " + input + " " for the white space check */
    if (s == NULL)
        return 0;
    memcpy(s + 1, data, size);
    long long m = -1, again = -1;
    int rc = duration_minutes(s + 1, size, &m);
    if (rc != 0 && rc != -1)
        abort();
    if (rc == 0 && (m < 0 || m > DURATION_MINUTES_CAP))
        abort();
    if (rc != 0 && m != -1)
        abort();
    s[0] = ' ';
    s[size + 1] = '\t';
    if (duration_minutes(s, size + 2, &again) != rc || (rc == 0 && again != m))
        abort();
    for (size_t i = 1; i <= size; i++)
        s[i] = (char)toupper((unsigned char)s[i]);
    again = -1;
    if (duration_minutes(s + 1, size, &again) != rc || (rc == 0 && again != m))
        abort();
    free(s);
    return 0;
}
