/* What the database and job suites share: the environment test.sh sets,
 * commands run through posix_spawn with their output captured, the
 * private MariaDB (mariadb.sh start/stop/kill, SQL as its admin), and the
 * master's children found through /proc. */
#ifndef RB_TESTS_SHELL_H
#define RB_TESTS_SHELL_H

#include <stddef.h>
#include <sys/types.h>

/* getenv, or "" when unset. */
const char *shell_env(const char *name);

/* CLOCK_MONOTONIC in seconds. */
double shell_now(void);

/* Runs argv, captures stdout+stderr into out (NUL-terminated, truncated to
 * outlen). Returns the exit status, or -1 when it could not run or was
 * killed. */
int shell_run(char *const argv[], char *out, size_t outlen);

/* tests/support/mariadb.sh ACTION RB_DB_DIR (start, stop, kill); the exit
 * status (the script's output goes to stderr when it fails). */
int shell_mariadb(const char *action);

/* Runs query as the private server's admin on database recipebox; the
 * answer (tab-separated, no column names) into out. The exit status. */
int shell_sql(const char *query, char *out, size_t len);

/* Live children of parent whose name (/proc/PID/comm) is comm (NULL: any):
 * up to max pids, and the count of zombies when zombies is not NULL. The
 * number of live ones, or -1 when /proc cannot be read. */
int shell_children(pid_t parent, const char *comm, pid_t *pids, int max, int *zombies);

#endif
