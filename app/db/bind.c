/* Parameter and result binding for prepared statements, kept free of any
 * connection so that it is unit-tested on its own. */
#include "db/bind.h"

#include <stdint.h>
#include <string.h>

#include "base/arena.h"

int bind_params(const struct db_arg *args, size_t n, MYSQL_BIND *b)
{
    if (n > DB_MAX_BIND)
        return -1;
    memset(b, 0, sizeof(*b) * n);
    for (size_t i = 0; i < n; i++) {
        const struct db_arg *a = &args[i];
        switch (a->type) {
        case DB_T_INT:
        case DB_T_UINT:
            b[i].buffer_type = MYSQL_TYPE_LONGLONG;
            b[i].buffer = (void *)(uintptr_t)&a->i;
            b[i].is_unsigned = a->type == DB_T_UINT;
            break;
        case DB_T_DOUBLE:
            b[i].buffer_type = MYSQL_TYPE_DOUBLE;
            b[i].buffer = (void *)(uintptr_t)&a->d;
            break;
        case DB_T_STR:
        case DB_T_BLOB:
            b[i].buffer_type = a->type == DB_T_STR ? MYSQL_TYPE_STRING : MYSQL_TYPE_BLOB;
            b[i].buffer = (void *)(uintptr_t)a->s;
            b[i].buffer_length = (unsigned long)a->len;
            break;
        case DB_T_NULL:
            b[i].buffer_type = MYSQL_TYPE_NULL;
            break;
        default:
            return -1;
        }
    }
    return 0;
}

int bind_row_fill(const struct db_col *cols, size_t ncols, const struct db_value *vals, void *row,
                  size_t rowsize, struct arena *a)
{
    memset(row, 0, rowsize);
    char *base = row;
    for (size_t i = 0; i < ncols; i++) {
        const struct db_col *c = &cols[i];
        const struct db_value *v = &vals[i];
        if (c->null_offset != DB_NO_OFFSET)
            *(int *)(void *)(base + c->null_offset) = v->is_null ? 1 : 0;
        if (v->is_null)
            continue;
        switch (c->type) {
        case DB_T_INT:
        case DB_T_UINT:
            *(long long *)(void *)(base + c->offset) = v->i;
            break;
        case DB_T_DOUBLE:
            *(double *)(void *)(base + c->offset) = v->d;
            break;
        case DB_T_STR:
        case DB_T_BLOB: {
            char *dst = arena_strndup(a, v->s ? v->s : "", v->s ? v->len : 0);
            if (dst == NULL)
                return -1;
            *(char **)(void *)(base + c->offset) = dst;
            if (c->len_offset != DB_NO_OFFSET)
                *(size_t *)(void *)(base + c->len_offset) = v->s ? v->len : 0;
            break;
        }
        case DB_T_NULL:
            break;
        }
    }
    return 0;
}
