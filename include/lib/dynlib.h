/* Opening a shared library on first use (dlopen) instead of linking it, so
 * that workers that never need it do not carry it: libgd, libexif,
 * libunistring, libcurl. */
#ifndef RB_LIB_DYNLIB_H
#define RB_LIB_DYNLIB_H

#include <stddef.h>

/* One function to resolve: slot points at a function pointer of the right
 * type, filled with the symbol's address. */
struct dynlib_symbol {
    const char *name;
    void *slot;
};

/* Opens file (RTLD_NOW | RTLD_LOCAL) and fills every slot. *state keeps
 * the outcome (0 untried, 1 loaded, -1 failed), so each library is tried
 * once per process. 0, or -1 when the library or a symbol is missing. */
int dynlib_load(const char *file, const struct dynlib_symbol *syms, size_t n, int *state);

#endif
