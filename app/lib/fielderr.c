/* Field error lists: what a validator found, as plain data for the layer
 * above to render. Pure; includes nothing of the app. */
#include "lib/fielderr.h"

#include <stdio.h>

int fielderr_add(struct field_errors *e, const char *field, const char *code,
                 const char *message)
{
    if (e->count >= FIELDERR_MAX) {
        e->dropped++;
        return 1;
    }
    struct field_error *fe = &e->items[e->count++];
    snprintf(fe->field, sizeof(fe->field), "%s", field);
    snprintf(fe->code, sizeof(fe->code), "%s", code);
    snprintf(fe->message, sizeof(fe->message), "%s", message);
    return 1;
}

unsigned fielderr_total(const struct field_errors *e)
{
    return e->count + e->dropped;
}
