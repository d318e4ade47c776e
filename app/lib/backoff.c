/* Exponential back-off with equal jitter (see include/lib/backoff.h). */
#include "lib/backoff.h"

uint64_t backoff_delay_ms(unsigned attempt, uint64_t base_ms, uint64_t max_ms, uint32_t random)
{
    unsigned shift = attempt > 1 ? attempt - 1 : 0;
    uint64_t d = base_ms;
    /* double until the ceiling; stops before any overflow */
    while (shift-- > 0 && d < max_ms)
        d = d > UINT64_MAX / 2 ? UINT64_MAX : d * 2;
    if (d > max_ms)
        d = max_ms;
    uint64_t half = d / 2;
    return d - half + (uint64_t)random % (half + 1);
}
