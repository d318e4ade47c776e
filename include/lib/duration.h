/* ISO 8601 durations as schema.org writes them (prepTime "PT1H30M",
 * "P0DT20M", "PT1.5H") read as whole minutes, for recipe import. Pure; has a
 * fuzz target (tests/fuzz/fuzz_duration.c). */
#ifndef RB_LIB_DURATION_H
#define RB_LIB_DURATION_H

#include <stddef.h>

/* Upper bound of what duration_minutes returns (about 19 years): larger
 * durations are clamped to it, never overflow. */
#define DURATION_MINUTES_CAP 10000000LL

/* Reads len bytes of s (not NUL-terminated; s may be NULL when len is 0):
 * "P" [n "Y"] [n "M"] [n "W"] [n "D"] ["T" [n "H"] [n "M"] [n "S"]], letters
 * in either case, each n 1 to 13 digits with an optional fraction ("." or ","),
 * surrounding white space ignored. A year counts 365 days, a month 30.
 * A bare whole number ("20") is taken as minutes, as some sites write.
 * Seconds are rounded to the nearest minute. Writes the minutes (clamped to
 * DURATION_MINUTES_CAP) into *minutes and returns 0, or returns -1 (and
 * leaves *minutes alone) for anything else, e.g. "P", "PT", "1h", "PT-5M". */
int duration_minutes(const char *s, size_t len, long long *minutes);

#endif
