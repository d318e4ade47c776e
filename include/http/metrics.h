/* Renders the scoreboard: Prometheus text for /metrics and a PHP-FPM-like
 * JSON status view. */
#ifndef RB_HTTP_METRICS_H
#define RB_HTTP_METRICS_H

#include <stddef.h>

struct app;
struct arena;

/* Prometheus exposition text in arena memory; NULL on failure. */
char *metrics_prometheus(const struct app *app, struct arena *a, size_t *len);

/* The status view as JSON text in arena memory; NULL on failure. */
char *metrics_status_json(const struct app *app, struct arena *a, size_t *len);

#endif
