/* The settable clock of tests (see include/http/clock.h). Nothing but
 * [server] test_routes enables it, so a production server never lets a
 * client move its time. */
#include "http/clock.h"

#include <errno.h>
#include <stdlib.h>

#include "base/config.h"
#include "http/request.h"

long long clock_offset(const struct config *cfg, const struct request *req)
{
    if (cfg == NULL || !cfg->test_routes || req == NULL)
        return 0;
    const char *v = request_header(req, CLOCK_HEADER);
    if (v == NULL || *v == '\0')
        return 0;
    char *end = NULL;
    errno = 0;
    long long n = strtoll(v, &end, 10);
    if (errno != 0 || *end != '\0' || n > CLOCK_MAX_OFFSET || n < -CLOCK_MAX_OFFSET)
        return 0;
    return n;
}

time_t clock_now(const struct config *cfg, const struct request *req)
{
    return time(NULL) + (time_t)clock_offset(cfg, req);
}
