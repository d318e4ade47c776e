/* Opaque pagination cursors: a row position (an id) wrapped so clients do
 * not build them by hand. Pure; has a fuzz target. */
#ifndef RB_LIB_CURSOR_H
#define RB_LIB_CURSOR_H

#define CURSOR_TEXT 96

/* Encodes a positive position. Returns 0, -1 for a non-positive one. */
int cursor_encode(long long position, char out[CURSOR_TEXT]);

/* Decodes a cursor made by cursor_encode. 0, or -1 for anything else. */
int cursor_decode(const char *text, long long *position);

/* A position in an order by (key desc, id desc): kind (a-z) names the
 * order, so that a cursor from one order is refused by another. key >= 0,
 * id > 0. 0 or -1. */
int cursor_encode_keyed(char kind, long long key, long long id, char out[CURSOR_TEXT]);
int cursor_decode_keyed(const char *text, char kind, long long *key, long long *id);

/* Parses a limit query value: NULL gives dflt; else 1..max digits only.
 * Returns the limit or -1. */
int cursor_limit(const char *text, int dflt, int max);

#endif
