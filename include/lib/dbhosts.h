/* The [database] host list: "db1:3306, db2, [fd00::3]:3307". Pure, so the
 * parser is unit-tested and fuzzed; app/db/db.c connects to the entries in
 * order and fails over to the next (docs/scale-out.md). */
#ifndef RB_LIB_DBHOSTS_H
#define RB_LIB_DBHOSTS_H

#include <stddef.h>

#define DBHOSTS_MAX 8       /* entries in one list */
#define DBHOSTS_NAME_MAX 63 /* bytes of one host name or address */

struct dbhost {
    char name[DBHOSTS_NAME_MAX + 1]; /* without brackets */
    unsigned port;
};

/* Parses text of len bytes: entries separated by commas, white space around
 * them ignored, each NAME, NAME:PORT, [IPV6] or [IPV6]:PORT (a bare IPv6
 * address has no port); an entry without a port gets default_port. Returns
 * the number of entries (1..max), or -1 with the reason in why (an empty
 * entry, a bad port, a name too long or with white space, more than max). */
int dbhosts_parse(const char *text, size_t len, unsigned default_port, struct dbhost *out,
                  size_t max, char *why, size_t whylen);

#endif
