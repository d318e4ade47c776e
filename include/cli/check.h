/* `recipebox check-config --connect [--front-user NAME]`: what a valid
 * config file cannot tell by itself. Both database accounts connect, the
 * workers' user may write the media directory, the front server's user may
 * reach the listen socket. And, at start, the warning when nobody but root
 * can reach the socket. */
#ifndef RB_CLI_CHECK_H
#define RB_CLI_CHECK_H

struct config;

/* The user and group names of [server] (user, listen_owner, listen_group)
 * must exist on this machine; prints one line per missing one. Returns the
 * count. Plain check-config runs it. */
int cli_check_names(const struct config *cfg);

/* Runs every check and prints one line per problem on stderr. front_user
 * (may be NULL: no socket check) is the front server's worker user. Returns
 * the number of problems. */
int cli_check_connect(const struct config *cfg, const char *front_user);

/* For a master started as root with a unix socket: 1 (and a line in why)
 * when only root can connect to it, judging by its owner, group and mode
 * and those of its directories. */
int cli_check_root_only(const struct config *cfg, char *why, unsigned whylen);

#endif
