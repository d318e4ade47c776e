/* Outbound mail transports ([mail] transport = smtp | sendmail | file | off)
 * and the template files ([mail] templates). A send answers whether the
 * message left, may be retried later, or will never go, so that the job
 * runner can back off. Below the API layer: it knows nothing of jobs. */
#ifndef RB_BASE_MAILER_H
#define RB_BASE_MAILER_H

#include <stddef.h>

#include "lib/mailtmpl.h"

struct config;

/* What a send came to; the values are the job function's answers. */
enum mailer_result {
    MAILER_OK = 0,    /* handed over (or dropped by transport = off) */
    MAILER_RETRY = 1, /* temporary: the server or program may take it later */
    MAILER_FAIL = 2   /* permanent: refused for this message or address */
};

/* Sends msg (a whole RFC 5322 message with CRLF line ends, len bytes) to
 * the address to, with the address of [mail] from as envelope sender.
 * Writes why into err unless MAILER_OK. Blocks at most about [mail]
 * timeout seconds. The sendmail transport forks and waits for its child:
 * the caller must not ignore SIGCHLD (the child would be reaped before the
 * wait and the send counted as a failure). */
enum mailer_result mailer_send(const struct config *cfg, const char *to, const char *msg,
                               size_t len, char *err, size_t errlen);

/* 1 when the host of an smtp:// or smtps:// URL is a literal loopback
 * address (127.0.0.0/8 or [::1]); a name, even "localhost", is not. Only
 * there may SMTP go without TLS. */
int mailer_smtp_loopback(const char *url);

/* Reads and parses template kind from [mail] templates (NAME.txt, and
 * NAME.html when it exists). 0, or -1 with "DIR/NAME.txt:LINE: why". */
int mailer_template_load(const struct config *cfg, enum mailtmpl_kind kind, struct mailtmpl *t,
                         char *err, size_t errlen);

/* Loads every template once (check-config). 0, or -1 with the first error. */
int mailer_templates_check(const struct config *cfg, char *err, size_t errlen);

/* Fills buf with n random bytes (getrandom). 0 or -1. */
int mailer_random(unsigned char *buf, size_t n);

#endif
