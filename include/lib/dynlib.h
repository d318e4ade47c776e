/* Opening a shared library on first use (dlopen) instead of linking it, so
 * that workers that never need it do not carry it: libgd, libexif,
 * libunistring, libcurl. The static build (make dist, RB_LINK_STATIC)
 * links libgd, libexif and libunistring in and dlopens nothing: there a
 * symbol made with DYNLIB_LINKED carries its address, and a library whose
 * symbols carry none (libcurl) is simply not available. */
#ifndef RB_LIB_DYNLIB_H
#define RB_LIB_DYNLIB_H

#include <stddef.h>

/* One function to resolve: slot points at a function pointer of the right
 * type, filled with the symbol's address. addr: the linked address in the
 * static build, NULL otherwise. */
struct dynlib_symbol {
    const char *name;
    void *slot;
    const void *addr;
};

/* clang-format off */
#ifdef RB_LINK_STATIC
#define DYNLIB_LINKED(fn, slot) {#fn, &(slot), (const void *)&(fn)}
#else
#define DYNLIB_LINKED(fn, slot) {#fn, &(slot), NULL}
#endif
/* clang-format on */

/* Opens file (RTLD_NOW | RTLD_LOCAL) and fills every slot (the static
 * build: from the linked addresses). *state keeps the outcome (0 untried,
 * 1 loaded, -1 failed), so each library is tried once per process. 0, or
 * -1 when the library or a symbol is missing (dynlib_error says why). */
int dynlib_load(const char *file, const struct dynlib_symbol *syms, size_t n, int *state);

/* Why the last dynlib_load failed. */
const char *dynlib_error(void);

#endif
