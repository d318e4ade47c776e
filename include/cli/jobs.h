/* `recipebox jobs run|list|retry|cancel|purge|add`: the job queue from the
 * command line (cron runs, operators). */
#ifndef RB_CLI_JOBS_H
#define RB_CLI_JOBS_H

struct config;

/* argv starts after "jobs". Returns the process exit code. */
int cli_jobs(const struct config *cfg, int argc, char **argv);

#endif
