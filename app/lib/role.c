/* Account roles (see include/lib/role.h). Pure. */
#include "lib/role.h"

#include <string.h>

enum role role_parse(const char *name)
{
    if (name == NULL)
        return ROLE_ANON;
    if (strcmp(name, "admin") == 0)
        return ROLE_ADMIN;
    if (strcmp(name, "moderator") == 0)
        return ROLE_MODERATOR;
    if (strcmp(name, "user") == 0)
        return ROLE_USER;
    return ROLE_ANON;
}
