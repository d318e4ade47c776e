/* `recipebox user ...`: account administration without the web. */
#ifndef RB_CLI_USER_H
#define RB_CLI_USER_H

struct config;

/* argv starts after "user". Returns the process exit code. The password of
 * `user add` is read from stdin (a prompt without echo on a terminal),
 * never from argv. */
int cli_user(const struct config *cfg, int argc, char **argv);

#endif
