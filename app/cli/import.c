/* `recipebox import` (see include/cli/import.h). Runs in this process,
 * without a job runner: the same checks and the same per-recipe writes as
 * the archive_import job (api/archive_import.c), with a transfer row left
 * behind that GET /me/imports/{id} shows. */
#include "cli/import.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/archive_import.h"
#include "base/arena.h"
#include "base/config.h"
#include "db/accounts.h"
#include "db/db.h"
#include "lib/file.h"
#include "lib/identity.h"

static int usage(void)
{
    fprintf(stderr, "usage: recipebox import [-c FILE] ARCHIVE --user NAME\n");
    return 2;
}

/* The account NAME (username or email). 0 with *id, or -1 (printed). */
static int find_user(struct db *db, const char *name, long long *id, struct arena *a)
{
    char norm[64];
    struct user u = {0};
    enum db_status st = DB_NOTFOUND;
    if (identity_email_normalize(name, norm, sizeof(norm)) >= 0)
        st = accounts_user_by_login(db, norm, &u, a);
    if (st != DB_OK) {
        fprintf(stderr, "recipebox import: %s\n",
                st == DB_NOTFOUND ? "no such user" : db_last_error(db));
        return -1;
    }
    *id = u.id;
    return 0;
}

static int run(const struct config *cfg, const char *file, const char *user)
{
    char *data = NULL, err[512];
    size_t len = 0;
    long long owner = 0;
    if (file_read_all(file, cfg->archive_max_bytes, &data, &len, err, sizeof(err)) != 0) {
        fprintf(stderr, "recipebox import: %s (at most [archive] max_bytes = %zu)\n", err,
                cfg->archive_max_bytes);
        return 1;
    }
    struct db *db = db_open(cfg, NULL);
    struct arena a;
    struct archive_import_result r;
    arena_init(&a, 0);
    int rc = 1;
    if (db == NULL || find_user(db, user, &owner, &a) != 0) {
        rc = 1;
    } else {
        int ran =
            archive_import_file(cfg, db, owner, (const unsigned char *)data, len, &a, stdout, &r);
        if (ran == -2)
            fprintf(stderr, "recipebox import: zip archives need libzip (libzip4), which this "
                            "build does not have (the static build)\n");
        else if (ran != 0 && r.transfer == 0)
            fprintf(stderr, "recipebox import: refused: %s\n", r.error);
        else if (ran != 0)
            fprintf(stderr, "recipebox import: transfer %lld failed: %s\n", r.transfer, r.error);
        else
            printf("transfer %lld: %lld of %lld recipe(s) imported, %lld failed\n", r.transfer,
                   r.succeeded, r.total, r.failed);
        rc = ran != 0 ? 1 : r.failed > 0 ? 3 : 0;
    }
    arena_free(&a);
    db_close(db);
    free(data);
    return rc;
}

int cli_import(const struct config *cfg, int argc, char **argv)
{
    const char *file = NULL, *user = NULL;
    for (int i = 0; i < argc; i++) {
        if (strcmp(argv[i], "--user") == 0 && i + 1 < argc)
            user = argv[++i];
        else if (argv[i][0] != '-' && file == NULL)
            file = argv[i];
        else
            return usage();
    }
    if (file == NULL || user == NULL)
        return usage();
    return run(cfg, file, user);
}
