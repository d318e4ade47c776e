/* Address allow-lists: "127.0.0.1, ::1, 10.0.0.0/8". Pure. */
#ifndef RB_LIB_IPMATCH_H
#define RB_LIB_IPMATCH_H

/* Returns 1 when addr (textual IPv4 or IPv6) is in list, 0 when not or when
 * addr is not an address. A malformed list entry never matches. */
int ipmatch_list(const char *list, const char *addr);

/* Returns 0 when every entry of list parses, or -1 and the bad entry in err. */
int ipmatch_check(const char *list, char *err, unsigned long errlen);

#endif
