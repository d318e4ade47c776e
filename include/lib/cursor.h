/* Opaque pagination cursors: a row position (an id) wrapped so clients do
 * not build them by hand. Pure; has a fuzz target. */
#ifndef RB_LIB_CURSOR_H
#define RB_LIB_CURSOR_H

#define CURSOR_TEXT 40

/* Encodes a positive position. Returns 0, -1 for a non-positive one. */
int cursor_encode(long long position, char out[CURSOR_TEXT]);

/* Decodes a cursor made by cursor_encode. 0, or -1 for anything else. */
int cursor_decode(const char *text, long long *position);

/* Parses a limit query value: NULL gives dflt; else 1..max digits only.
 * Returns the limit or -1. */
int cursor_limit(const char *text, int dflt, int max);

#endif
