/* The route table: the whole API in one place. */
#ifndef RB_API_ROUTES_H
#define RB_API_ROUTES_H

#include <stddef.h>

#include "http/router.h"

extern const struct route routes_table[];
extern const size_t routes_count;

#endif
