/* MIME assembly of one outbound mail (RFC 5322, 2045, 2047, 8058): headers,
 * a quoted-printable text/plain body and an optional text/html alternative.
 * Pure: the date and the random bytes come from the caller. Every field that
 * reaches a header is checked here, whatever the caller checked: CR, LF and
 * other controls are refused, so no header can be injected. */
#ifndef RB_LIB_MIME_H
#define RB_LIB_MIME_H

#include <stddef.h>
#include <time.h>

#define MIME_RANDOM 32       /* random bytes: 16 for the Message-ID, 16 for the boundary */
#define MIME_ADDRESS_MAX 254 /* RFC 5321's path limit, less the brackets */
#define MIME_URL_MAX 900     /* keeps List-Unsubscribe under 998 bytes a line */
#define MIME_SUBJECT_MAX 998 /* bytes of UTF-8 before encoding */
#define MIME_NAME_MAX 128    /* bytes of a From display name */

struct mime_message {
    const char *from;    /* "Name <a@b.example>" or "a@b.example"; the name may be UTF-8 */
    const char *to;      /* "a@b.example" (ASCII addr-spec only) */
    const char *subject; /* UTF-8, 1..MIME_SUBJECT_MAX bytes, no control characters */
    const char *text;    /* UTF-8 text/plain body, LF or CRLF line ends */
    size_t text_len;     /* bytes of text (the body may hold no NUL) */
    const char *html;    /* NULL: no text/html alternative */
    size_t html_len;
    const char *unsubscribe; /* NULL or an https:// URL: RFC 8058 one-click headers */
    time_t date;
    unsigned char random[MIME_RANDOM];
};

/* Builds the message with CRLF line ends into a new buffer the caller frees
 * (NUL-terminated; *len without the NUL). Returns 0, or -1 with a message
 * in err naming the field ("to: ...") and *out NULL. */
int mime_build(const struct mime_message *m, char **out, size_t *len, char *err, size_t errlen);

/* 1 when s is an addr-spec we send to: an ASCII dot-atom local part of at
 * most 64 bytes, '@', a host name of letters, digits and '-' labels; at most
 * MIME_ADDRESS_MAX bytes. Quoted local parts and UTF-8 addresses are refused. */
int mime_address_valid(const char *s);

/* Splits a From value ("Name <addr>" or "addr") and copies its address into
 * addr (the SMTP envelope sender). 0, or -1 when it is not valid. */
int mime_from_address(const char *from, char *addr, size_t addrlen);

/* Quoted-printable (RFC 2045 6.7) of len bytes: LF and CRLF are hard line
 * breaks (written CRLF); lines are at most 76 characters with soft breaks;
 * '=', controls, bytes >= 0x80, white space at a line end and a '.' that
 * starts a line are written =XX. A new NUL-terminated buffer the caller
 * frees, or NULL when out of memory. */
char *mime_qp_encode(const char *in, size_t len, size_t *outlen);

/* The inverse, strict: hard breaks become CRLF, soft breaks vanish; a
 * malformed escape, a bare CR or LF, or white space at a line end is an
 * error. A new buffer, or NULL. */
char *mime_qp_decode(const char *in, size_t len, size_t *outlen);

/* Writes the RFC 5322 date of t (UTC, English names, whatever the locale)
 * into out: "Sun, 29 Nov 2026 10:49:05 +0000". */
void mime_date(time_t t, char out[40]);

#endif
