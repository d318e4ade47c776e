/* Shared libraries opened on first use (see include/lib/dynlib.h). */
#include "lib/dynlib.h"

#include <dlfcn.h>
#include <string.h>

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
    *state = bad ? -1 : 1;
    return bad ? -1 : 0;
}
