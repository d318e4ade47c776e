/* `recipebox mail test --to ADDRESS [--template NAME] [--unsubscribe URL]`:
 * sends one mail through the configured transport, so an operator can
 * check the [mail] settings and the templates. */
#ifndef RB_CLI_MAIL_H
#define RB_CLI_MAIL_H

struct config;

/* argv starts after "mail". Returns the process exit code: 0 sent, 75
 * (EX_TEMPFAIL) a temporary failure the job queue would retry, 1 a
 * permanent one, 2 bad arguments. */
int cli_mail(const struct config *cfg, int argc, char **argv);

#endif
