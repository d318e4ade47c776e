/* `recipebox media gc [--dry-run] [--min-age SECONDS]`: removes (and lists)
 * media files whose key no recipe names, and stale temporary files. */
#ifndef RB_CLI_MEDIA_H
#define RB_CLI_MEDIA_H

struct config;

/* argv starts after "media". Returns the process exit code. */
int cli_media(const struct config *cfg, int argc, char **argv);

#endif
