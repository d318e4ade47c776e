/* Shared libraries opened on first use (see include/lib/dynlib.h). */
#include "lib/dynlib.h"

#include <string.h>

#ifdef RB_LINK_STATIC

int dynlib_load(const char *file, const struct dynlib_symbol *syms, size_t n, int *state)
{
    (void)file;
    if (*state != 0)
        return *state > 0 ? 0 : -1;
    int bad = 0;
    for (size_t i = 0; i < n && !bad; i++) {
        memcpy(syms[i].slot, &syms[i].addr, sizeof(syms[i].addr));
        bad = syms[i].addr == NULL; /* not linked into this build */
    }
    *state = bad ? -1 : 1;
    return bad ? -1 : 0;
}

const char *dynlib_error(void)
{
    return "not in the static build (make dist)";
}

#else

#include <dlfcn.h>

static const char *last_error = "";

int dynlib_load(const char *file, const struct dynlib_symbol *syms, size_t n, int *state)
{
    if (*state != 0)
        return *state > 0 ? 0 : -1;
    void *lib = dlopen(file, RTLD_NOW | RTLD_LOCAL);
    int bad = lib == NULL;
    for (size_t i = 0; i < n && !bad; i++) {
        void *f = dlsym(lib, syms[i].name);
        memcpy(syms[i].slot, &f, sizeof(f)); /* object to function pointer, as POSIX allows */
        bad = f == NULL;
    }
    if (bad) {
        const char *e = dlerror();
        last_error = e != NULL ? e : "unknown";
    }
    *state = bad ? -1 : 1;
    return bad ? -1 : 0;
}

const char *dynlib_error(void)
{
    return last_error;
}

#endif
