/* The clock of authentication decisions (TOTP steps, the MFA login token's
 * age, recent authentication). Test builds move it with the request header
 * X-Test-Clock-Offset: SECONDS, honoured only when [server] test_routes is
 * true; in production the header is ignored and the offset is always 0. */
#ifndef RB_HTTP_CLOCK_H
#define RB_HTTP_CLOCK_H

#include <time.h>

struct config;
struct request;

#define CLOCK_HEADER "x-test-clock-offset"
#define CLOCK_MAX_OFFSET 315360000LL /* ten years either way */

/* Seconds to add to the real time for req: the header's signed decimal
 * value when cfg->test_routes is on and it is well-formed and within
 * CLOCK_MAX_OFFSET, else 0. req may be NULL (0). */
long long clock_offset(const struct config *cfg, const struct request *req);

/* time(NULL) + clock_offset(cfg, req). */
time_t clock_now(const struct config *cfg, const struct request *req);

#endif
