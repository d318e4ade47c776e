/* Exponential back-off with jitter, for job retries. Pure: the random
 * value comes from the caller, so the computation is unit-tested. */
#ifndef RB_LIB_BACKOFF_H
#define RB_LIB_BACKOFF_H

#include <stdint.h>

/* The wait before the retry that follows failed attempt number attempt
 * (1 = the first): d = min(max_ms, base_ms * 2^(attempt-1)), then "equal
 * jitter": d/2 + random % (d/2 + 1), so the result lies in [d/2, d] and
 * runners that failed together do not retry together. attempt 0 counts as
 * 1; no overflow for any input. */
uint64_t backoff_delay_ms(unsigned attempt, uint64_t base_ms, uint64_t max_ms, uint32_t random);

#endif
