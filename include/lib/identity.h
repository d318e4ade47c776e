/* Account identities: normalising and checking usernames and emails.
 * Pure; includes nothing of the app. */
#ifndef RB_LIB_IDENTITY_H
#define RB_LIB_IDENTITY_H

/* Lower-cases ASCII and trims surrounding white space into out (size
 * bytes). Returns the length, or -1 when it does not fit. Pure. */
long identity_normalize(const char *in, char *out, unsigned long size);

/* Trims surrounding white space into out, keeping case (the name as typed,
 * for display). Returns the length, or -1 when it does not fit. */
long identity_trim(const char *in, char *out, unsigned long size);

/* 1 for a valid normalised username: 3..32 of [a-z0-9_.-]. */
int identity_username_valid(const char *norm);

/* 1 for a plausible normalised email: one '@', non-empty parts, a dot in
 * the domain, no white space, at most 254 bytes. */
int identity_email_valid(const char *norm);

#endif
