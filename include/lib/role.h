/* Account roles, lowest to highest: what the route table's minimum role and
 * the handlers' ownership checks compare. Pure. */
#ifndef RB_LIB_ROLE_H
#define RB_LIB_ROLE_H

enum role { ROLE_ANON = 0, ROLE_USER, ROLE_MODERATOR, ROLE_ADMIN, ROLE__MAX };

/* Maps "user"/"moderator"/"admin" to its role; ROLE_ANON for anything else,
 * NULL included. */
enum role role_parse(const char *name);

#endif
