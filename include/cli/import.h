/* `recipebox import FILE --user NAME`: imports an archive (our export,
 * Mealie, Tandoor, Paprika) into NAME's account now, as POST /me/import's
 * job would, printing each recipe's error. */
#ifndef RB_CLI_IMPORT_H
#define RB_CLI_IMPORT_H

struct config;

/* argv starts after "import". Exit code: 0 every recipe imported, 3 some
 * recipes failed (listed), 1 the archive was refused or the run failed,
 * 2 usage. */
int cli_import(const struct config *cfg, int argc, char **argv);

#endif
