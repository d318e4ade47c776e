/* recipebox: subcommands and front-mode detection. With no subcommand the
 * process looks at how it was started: fd 0 a listening socket means a front
 * server spawned it (lighttpd bin-path, mod_fcgid, spawn-fcgi); a CGI
 * environment means one request. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "lib/version.h"
#include "api/routes.h"
#include "http/app.h"
#include "runtime/cgi.h"
#include "base/config.h"
#include "base/log.h"
#include "runtime/pool.h"
#include "base/scoreboard.h"
#include "db/db.h"
#include "db/migrate.h"
#include "base/mailer.h"
#include "lib/password.h"
#include "cli/check.h"
#include "cli/mail.h"
#include "cli/jobs.h"
#include "cli/import.h"
#include "cli/media.h"
#include "cli/user.h"

#ifndef RB_SYSCONFDIR
#define RB_SYSCONFDIR "/usr/local/etc/recipebox"
#endif

static void usage(FILE *f)
{
    fputs(
        "usage: recipebox serve [-c FILE] [--pidfile FILE]   run the pre-forked FastCGI pool\n"
        "       recipebox check-config [-c FILE] [--connect [--front-user NAME]]\n"
        "                      validate the configuration (--connect: and try it)\n"
        "       recipebox migrate [-c FILE] up | down [N] | status\n"
        "       recipebox media [-c FILE] gc [--dry-run] [--min-age SECONDS]\n"
        "       recipebox mail [-c FILE] test --to ADDRESS [--template NAME]\n"
        "                      [--unsubscribe URL]   (sends one mail)\n"
        "       recipebox user [-c FILE] add NAME --email E [--role R] | set-role NAME ROLE |\n"
        "                      disable NAME | set-password NAME | invite EMAIL\n"
        "                      (passwords are read from stdin)\n"
        "       recipebox jobs [-c FILE] run [--for 55s] | list | retry ID | cancel ID | purge |\n"
        "                      add KIND [PAYLOAD]   (the job queue; see docs/operations.md)\n"
        "       recipebox import [-c FILE] ARCHIVE --user NAME   (our export, Mealie,\n"
        "                      Tandoor or Paprika; see docs/api.md)\n"
        "       recipebox version\n"
        "Started by a front server with fd 0 a listening socket, it serves FastCGI on fd 0;\n"
        "started as CGI (GATEWAY_INTERFACE set), it answers one request.\n"
        "The config file is -c FILE, else $RECIPEBOX_CONFIG, else " RB_SYSCONFDIR
        "/recipebox.conf.\n",
        f);
}

/* Loads the config named by -c, the environment or the default path. A
 * missing default file means built-in defaults; a missing named file is an
 * error. Returns 0 or prints the reason and returns -1. */
static int load_config(struct config *cfg, const char *path)
{
    char err[CONFIG_ERR];
    int named = path != NULL;
    if (path == NULL)
        path = getenv("RECIPEBOX_CONFIG");
    named = named || path != NULL;
    if (path == NULL)
        path = RB_SYSCONFDIR "/recipebox.conf";
    if (!named && access(path, F_OK) != 0) {
        config_defaults(cfg);
        return 0;
    }
    if (config_load(cfg, path, err, sizeof(err)) != 0) {
        fprintf(stderr, "recipebox: %s\n", err);
        return -1;
    }
    return 0;
}

/* The common-password list is loaded once, before any fork, so workers
 * share its pages. A missing list stops the start: the policy would be
 * silently weaker. */
static int load_passwords(const struct config *cfg)
{
    if (password_load_common(cfg->common_passwords) != 0) {
        fprintf(stderr, "recipebox: [auth] common_passwords: cannot read %s: %s\n",
                cfg->common_passwords, strerror(errno));
        return -1;
    }
    return 0;
}

/* The mail templates, checked before anything starts: an unknown
 * placeholder is the operator's typo, found here rather than at a send.
 * Checked when mail is on, and for check-config (always) also when the
 * directory exists: with mail off, the installed ones may be absent. */
static int check_mail_templates(const struct config *cfg, int always)
{
    char err[1024];
    if (strcmp(cfg->mail_transport, "off") == 0 && (!always || access(cfg->mail_templates, F_OK)))
        return 0;
    if (mailer_templates_check(cfg, err, sizeof(err)) != 0) {
        fprintf(stderr, "recipebox: [mail] templates: %s\n", err);
        return -1;
    }
    return 0;
}

static int open_log(const struct config *cfg)
{
    if (log_open(cfg->log_path, cfg->log_level) != 0) {
        fprintf(stderr, "recipebox: [log] path: cannot open %s: %s\n", cfg->log_path,
                strerror(errno));
        return -1;
    }
    return 0;
}

static int fd0_is_listening(void)
{
    int v = 0;
    socklen_t len = sizeof(v);
    return getsockopt(0, SOL_SOCKET, SO_ACCEPTCONN, &v, &len) == 0 && v == 1;
}

static int run_cgi(const struct config *cfg)
{
    struct scoreboard *sb = scoreboard_create();
    if (sb == NULL)
        return 1;
    struct app app;
    int rc = 1;
    if (app_init(&app, cfg, sb, -1, -1, routes_table, routes_count) == 0)
        rc = cgi_run(&app);
    app_free(&app);
    scoreboard_destroy(sb);
    return rc;
}

#define MAX_POSITIONAL 4

/* Parses "-c FILE" anywhere after the subcommand and collects the other
 * words. Returns the number of words, or -1 on bad arguments. */
static int parse_args(int argc, char **argv, const char **config_path, const char **words)
{
    int n = 0;
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
            if (i + 1 >= argc)
                return -1;
            *config_path = argv[++i];
        } else if (argv[i][0] == '-' || n == MAX_POSITIONAL) {
            return -1;
        } else {
            words[n++] = argv[i];
        }
    }
    return n;
}

/* recipebox migrate up | down [N] | status */
static int run_migrate(const struct config *cfg, const char **words, int n)
{
    char err[1024];
    const char *action = n > 0 ? words[0] : "";
    unsigned long count = 1;
    if (n == 2 && strcmp(action, "down") == 0) {
        char *end;
        count = strtoul(words[1], &end, 10);
        if (*end != '\0' || count == 0 || count > 10000) {
            fprintf(stderr, "recipebox migrate: down N: N must be 1..10000\n");
            return 2;
        }
    } else if (n != 1 ||
               (strcmp(action, "up") && strcmp(action, "down") && strcmp(action, "status"))) {
        fprintf(stderr, "usage: recipebox migrate [-c FILE] up | down [N] | status\n");
        return 2;
    }
    struct migration_set set;
    if (migrate_scan(cfg->migrations_dir, &set, err, sizeof(err)) != 0) {
        fprintf(stderr, "recipebox migrate: %s\n", err);
        return 1;
    }
    struct db_opts opts = {.migrate = 1};
    struct db *db = db_open(cfg, &opts);
    int rc = -1;
    if (db == NULL || db_connect(db) != DB_OK)
        snprintf(err, sizeof(err), "cannot connect to the database: %s",
                 db ? db_last_error(db) : "out of memory");
    else if (strcmp(action, "up") == 0)
        rc = migrate_up(db, &set, stdout, err, sizeof(err));
    else if (strcmp(action, "down") == 0)
        rc = migrate_down(db, &set, (unsigned)count, stdout, err, sizeof(err));
    else
        rc = migrate_status(db, &set, stdout, err, sizeof(err));
    if (rc < 0)
        fprintf(stderr, "recipebox migrate: %s\n", err);
    db_close(db);
    migrate_set_free(&set);
    return rc < 0 ? 1 : rc;
}

/* For subcommands with options of their own (user: --email, --role;
 * media: --dry-run): takes -c FILE out and passes the rest (at most 15). */
static int split_words(int argc, char **argv, const char **path, char *rest[16])
{
    int n = 0;
    for (int i = 2; i < argc && n < 15; i++) {
        if (strcmp(argv[i], "-c") == 0 && i + 1 < argc)
            *path = argv[++i];
        else
            rest[n++] = argv[i];
    }
    rest[n] = NULL;
    return n;
}

/* Options of serve and check-config, after the subcommand. */
struct main_opts {
    const char *pidfile;    /* serve --pidfile FILE */
    int connect;            /* check-config --connect */
    const char *front_user; /* check-config --front-user NAME */
};

/* Parses -c FILE and the options cmd takes. 0, or -1 on anything else. */
static int parse_opts(int argc, char **argv, const char **path, struct main_opts *o)
{
    int serve = strcmp(argv[1], "serve") == 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        int has_value = i + 1 < argc;
        if ((strcmp(a, "-c") == 0 || strcmp(a, "--config") == 0) && has_value)
            *path = argv[++i];
        else if (serve && strcmp(a, "--pidfile") == 0 && has_value && argv[i + 1][0] != '\0')
            o->pidfile = argv[++i];
        else if (!serve && strcmp(a, "--connect") == 0)
            o->connect = 1;
        else if (!serve && strcmp(a, "--front-user") == 0 && has_value)
            o->front_user = argv[++i];
        else
            return -1;
    }
    return o->front_user != NULL && !o->connect ? -1 : 0;
}

/* The pool's hook once its socket is bound: the root-only warning, then the
 * pid file (written whole under a temporary name, so a reader never sees
 * half of it). */
static int serve_listening(const struct config *cfg, void *arg)
{
    char why[CONFIG_ERR + 256];
    if (geteuid() == 0 && cli_check_root_only(cfg, why, sizeof(why))) {
        fprintf(stderr, "recipebox: warning: %s\n", why);
        log_msg(LOG_WARN, "%s", why);
    }
    const char *pidfile = arg;
    if (pidfile == NULL)
        return 0;
    char tmp[4096];
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp", pidfile);
    FILE *f = n > 0 && (size_t)n < sizeof(tmp) ? fopen(tmp, "w") : NULL;
    int bad = f == NULL || fprintf(f, "%ld\n", (long)getpid()) < 0;
    if (f != NULL && fclose(f) != 0)
        bad = 1;
    if (bad || rename(tmp, pidfile) != 0) {
        fprintf(stderr, "recipebox: --pidfile %s: %s\n", pidfile, strerror(errno));
        if (f != NULL)
            unlink(tmp);
        return -1;
    }
    return 0;
}

static int run_serve(const char *path, const struct main_opts *o)
{
    static struct config cfg;
    if (load_config(&cfg, path) != 0 || open_log(&cfg) != 0 || load_passwords(&cfg) != 0 ||
        check_mail_templates(&cfg, 0) != 0)
        return 1;
    pool_on_listening(serve_listening, (void *)o->pidfile);
    int rc = pool_run(&cfg, -1);
    /* only the master returns here: workers end with exit() in the worker */
    if (o->pidfile != NULL && rc == 0)
        unlink(o->pidfile);
    password_free_common();
    return rc;
}

static int run_check_config(const char *path, const struct main_opts *o)
{
    static struct config cfg;
    if (load_config(&cfg, path) != 0 || load_passwords(&cfg) != 0)
        return 1;
    if (check_mail_templates(&cfg, 1) != 0 || cli_check_names(&cfg) != 0) {
        password_free_common();
        return 1;
    }
    if (o->connect) {
        log_open("-", LOG_LEVEL__MAX); /* the problems are printed once, below */
        int problems = cli_check_connect(&cfg, o->front_user);
        password_free_common();
        if (problems > 0) {
            fprintf(stderr, "%s: %d problem%s\n", cfg.path[0] ? cfg.path : "built-in defaults",
                    problems, problems > 1 ? "s" : "");
            return 1;
        }
    }
    printf("%s: ok\n", cfg.path[0] ? cfg.path : "built-in defaults");
    return 0;
}

int main(int argc, char **argv)
{
    static struct config cfg;
    const char *path = NULL;
    if (argc < 2) {
        int spawned = fd0_is_listening();
        if (!spawned && getenv("GATEWAY_INTERFACE") == NULL) {
            usage(stderr);
            return 2;
        }
        if (load_config(&cfg, NULL) != 0 || open_log(&cfg) != 0 || load_passwords(&cfg) != 0)
            return spawned ? 1 : (puts("Status: 500 Internal Server Error\r\n\r"), 0);
        return spawned ? pool_run(&cfg, 0) : run_cgi(&cfg);
    }
    const char *cmd = argv[1];
    if (strcmp(cmd, "version") == 0 || strcmp(cmd, "--version") == 0) {
        puts("recipebox " RB_VERSION);
        return 0;
    }
    if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
        usage(stdout);
        return 0;
    }
    if (strcmp(cmd, "media") == 0) {
        char *rest[16];
        int n = split_words(argc, argv, &path, rest);
        if (load_config(&cfg, path) != 0)
            return 1;
        log_open("-", LOG_WARN);
        return cli_media(&cfg, n, rest);
    }
    if (strcmp(cmd, "import") == 0) {
        char *rest[16];
        int n = split_words(argc, argv, &path, rest);
        if (load_config(&cfg, path) != 0)
            return 1;
        log_open("-", LOG_WARN);
        return cli_import(&cfg, n, rest);
    }
    if (strcmp(cmd, "mail") == 0) {
        char *rest[16];
        int n = split_words(argc, argv, &path, rest);
        if (load_config(&cfg, path) != 0)
            return 1;
        log_open("-", LOG_WARN);
        return cli_mail(&cfg, n, rest);
    }
    if (strcmp(cmd, "jobs") == 0) {
        char *rest[16];
        int n = split_words(argc, argv, &path, rest);
        if (load_config(&cfg, path) != 0)
            return 1;
        /* a cron run logs where the pool does; the rest talk on stderr */
        if (n > 0 && strcmp(rest[0], "run") == 0 ? open_log(&cfg) != 0
                                                 : log_open("-", LOG_WARN) != 0)
            return 1;
        return cli_jobs(&cfg, n, rest);
    }
    if (strcmp(cmd, "user") == 0) {
        char *rest[16];
        int n = split_words(argc, argv, &path, rest);
        if (load_config(&cfg, path) != 0 || load_passwords(&cfg) != 0)
            return 1;
        log_open("-", LOG_WARN);
        int rc = cli_user(&cfg, n, rest);
        password_free_common();
        return rc;
    }
    if (strcmp(cmd, "serve") == 0 || strcmp(cmd, "check-config") == 0) {
        struct main_opts o = {0};
        if (parse_opts(argc, argv, &path, &o) != 0) {
            usage(stderr);
            return 2;
        }
        return cmd[0] == 's' ? run_serve(path, &o) : run_check_config(path, &o);
    }
    const char *words[MAX_POSITIONAL];
    int nwords = parse_args(argc, argv, &path, words);
    if (nwords < 0 || (nwords > 0 && strcmp(cmd, "migrate") != 0)) {
        usage(stderr);
        return 2;
    }
    if (strcmp(cmd, "migrate") == 0) {
        if (load_config(&cfg, path) != 0)
            return 1;
        log_open("-", LOG_WARN);
        return run_migrate(&cfg, words, nwords);
    }
    fprintf(stderr, "recipebox: unknown command \"%s\"\n", cmd);
    usage(stderr);
    return 2;
}
