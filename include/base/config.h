/* The configuration: an INI file read with inih, checked key by key, with
 * secrets optionally taken from the environment. A bad value is reported with
 * file, line and key before any worker starts. */
#ifndef RB_BASE_CONFIG_H
#define RB_BASE_CONFIG_H

#include <stddef.h>

#include "base/ratelimit.h"

#define CONFIG_MEDIA_SIZES 4
#define CONFIG_STR 256
#define CONFIG_ERR 512

enum log_level { LOG_DEBUG = 0, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_LEVEL__MAX };

struct config {
    char path[CONFIG_STR]; /* file it came from, "" for built-in defaults */

    /* [server] */
    char listen[CONFIG_STR]; /* "unix:PATH" or "HOST:PORT" */
    char listen_owner[64];
    char listen_group[64];
    unsigned listen_mode;
    unsigned listen_backlog;
    char user[64]; /* whom to run as when started as root */
    char group[64];
    unsigned workers;
    unsigned max_requests;
    unsigned request_timeout;         /* seconds */
    unsigned shutdown_timeout;        /* seconds */
    size_t body_limit;                /* bytes */
    size_t memory_limit;              /* bytes of address space per worker, 0 = none */
    unsigned keepalive_timeout;       /* seconds a kept FastCGI connection may idle */
    int trust_forwarded;              /* take the client address from X-Forwarded-For */
    char trusted_proxies[CONFIG_STR]; /* addresses allowed to set it */
    int test_routes;                  /* expose /api/v1/_test/... (test suites only) */
    unsigned read_timeout;            /* seconds a new FastCGI connection may send nothing */
    char public_url[CONFIG_STR]; /* https://host[/prefix] without a trailing '/': links in mail */

    /* [database] */
    char db_socket[CONFIG_STR];
    char db_host[CONFIG_STR];
    unsigned db_port;
    char db_name[64];
    char db_user[64];
    char db_password[CONFIG_STR];
    char db_migrate_user[64]; /* DDL rights; empty = user */
    char db_migrate_password[CONFIG_STR];
    char migrations_dir[CONFIG_STR];
    unsigned db_connect_timeout;
    unsigned db_read_timeout;
    unsigned db_write_timeout;
    unsigned db_statement_ms; /* server-side limit of one statement (max_statement_time) */
    unsigned db_search_ms;    /* the same for the recipe list and search */

    /* [auth] */
    size_t scrypt_n;
    unsigned scrypt_r;
    unsigned scrypt_p;
    unsigned password_min;
    unsigned password_max;
    char common_passwords[CONFIG_STR];
    unsigned session_idle;               /* seconds without a request before a session ends */
    unsigned session_absolute;           /* seconds after login when it ends regardless */
    unsigned login_max_failures;         /* per account within login_window */
    unsigned login_max_failures_address; /* per client address within login_window */
    unsigned login_window;               /* seconds */
    char registration[16];               /* open, invite or closed */
    int require_verified_email;          /* unconfirmed accounts may not post */
    unsigned notify_batch;               /* seconds of comments gathered into one mail */
    char secret_key[128];          /* AES-256-GCM key of secrets at rest (hex/base64), "" = none */
    char secret_key_previous[128]; /* the key before a rotation: opens, never seals */
    unsigned reauth_window;        /* minutes a login or reauth counts as recent */
    char require_mfa_for[64];      /* roles that must have TOTP on to act as their role */

    /* [log] */
    char log_path[CONFIG_STR]; /* "-" = stderr */
    enum log_level log_level;

    /* [media] */
    char media_dir[CONFIG_STR];   /* where image files are written */
    char media_url[CONFIG_STR];   /* URL prefix the front server serves media_dir at */
    size_t media_upload_limit;    /* bytes of one upload (the fronts must agree) */
    size_t media_max_pixels;      /* width x height refused above this, before decoding */
    char media_sizes[128];        /* widths to make, "1200,400" */
    int media_webp, media_jpeg;   /* formats to make */
    unsigned media_quality;       /* 1..100 */
    size_t media_test_fail_after; /* tests only: writes fail with ENOSPC past this many bytes */

    /* [ratelimit]: per class, per account (anonymous: per address) and per
     * address; count 0 = no limit */
    struct ratelimit_rule rate_account[RATE__MAX];
    struct ratelimit_rule rate_address[RATE__MAX];
    unsigned max_expensive;            /* searches at once from one address, 0 = no cap */
    unsigned quota_recipes;            /* recipes one account may have, 0 = no quota */
    unsigned quota_comments;           /* comments one account may have posted */
    size_t quota_image_bytes;          /* bytes of recipe images one account may keep */
    unsigned quota_collections;        /* collections one account may have, 0 = no quota */
    unsigned quota_collection_recipes; /* recipes one collection may hold, 0 = no cap */

    /* [mail] */
    char mail_transport[16]; /* smtp, sendmail, file or off */
    char mail_from[CONFIG_STR];
    char mail_site_name[128];
    char mail_templates[CONFIG_STR];
    char mail_smtp_url[CONFIG_STR];
    char mail_smtp_user[CONFIG_STR];
    char mail_smtp_password[CONFIG_STR];
    char mail_smtp_ca_file[CONFIG_STR];
    unsigned mail_connect_timeout; /* seconds */
    unsigned mail_timeout;         /* seconds for one whole send */
    char mail_sendmail_path[CONFIG_STR];
    char mail_file_dir[CONFIG_STR];

    /* [security] */
    int cookie_secure;
    char cookie_domain[254]; /* Domain= of the session cookie, "" = host-only */
    char allowed_origins[1024];
    unsigned cors_max_age; /* seconds a browser may keep a preflight's answer */
    char metrics_allow[1024];

    /* [jobs] */
    unsigned job_runners;        /* runner processes the pool supervises, 0 = none (cron) */
    unsigned job_poll_interval;  /* seconds an idle runner waits between looks at the queue */
    unsigned job_keep_done_days; /* done jobs are purged after this many days, 0 = never */
    unsigned job_retry_base;     /* seconds before the first retry; doubles per attempt */
    unsigned job_retry_max;      /* seconds: the back-off's ceiling */
    unsigned job_cgi_after;      /* CGI: due jobs run after the response, at most this many */
    unsigned job_cgi_budget_ms;  /* CGI: and for at most this long */

    /* [import] */
    char import_allow_private[1024]; /* "false", "true" or CIDR blocks (base/fetch.c) */
    char import_proxy[CONFIG_STR];   /* "" = straight out (environment proxies ignored) */
    size_t import_page_limit;        /* bytes of one fetched or posted page */
    unsigned import_timeout;         /* seconds for one fetch, redirects included */
    unsigned import_max_redirects;   /* redirects followed, each checked again */
    char import_test_hosts[1024];    /* tests only: "name=address, ..." before the check */
    /* [archive] */
    char archive_dir[CONFIG_STR];          /* uploaded imports, built exports */
    size_t archive_max_bytes;              /* one archive */
    unsigned archive_max_entries;          /* entries in its directory */
    size_t archive_max_entry_bytes;        /* one entry, inflated */
    size_t archive_max_total_bytes;        /* all entries, inflated */
    unsigned archive_max_ratio;            /* inflated / compressed */
    unsigned archive_export_inline_max;    /* recipes GET /me/export zips at once */
    unsigned archive_keep_days;            /* files in archive_dir older than this go; 0 = keep */
    unsigned cache_max_age;                /* shared caches: anonymous public reads */
    unsigned cache_list_max_age;           /* the same for lists and search pages */
    unsigned cache_stale_while_revalidate; /* past max-age, while revalidating */
    unsigned cache_stale_if_error;         /* past max-age, while recipebox fails */
};

/* One key as documented: its section, name, default (the text a file would
 * hold, e.g. "64K") and a one-line description. */
struct config_key_doc {
    const char *section;
    const char *name;
    const char *def;
    const char *doc;
};

/* The number of keys in the key table. */
size_t config_key_count(void);

/* Key i of the key table, in table order; static, never freed. NULL when i
 * is not below config_key_count(). */
const struct config_key_doc *config_key_at(size_t i);

/* Fills c with the built-in defaults: each key's default text, read as a
 * file's value would be (the values conf/recipebox.conf.example lists).
 * c->path is "". */
void config_defaults(struct config *c);

/* Sets one key. Returns 0, or -1 with a message in err naming section and key.
 * Unknown sections and keys are errors, so that a typo is never ignored. */
int config_set(struct config *c, const char *section, const char *key, const char *value, char *err,
               size_t errlen);

/* Reads path over the defaults, then the environment (RECIPEBOX_DB_PASSWORD),
 * then checks the whole. Returns 0, or -1 with "FILE:LINE: [section] key: why"
 * in err. */
int config_load(struct config *c, const char *path, char *err, size_t errlen);

/* Same as config_load for text in memory; name is used in messages. */
int config_load_string(struct config *c, const char *text, const char *name, char *err,
                       size_t errlen);

/* Checks each key's own rule again (listen, address lists, media sizes: a
 * struct filled in code never met config_set) and the relations between
 * keys. 0 or -1 with err. */
int config_validate(const struct config *c, char *err, size_t errlen);

const char *config_level_name(enum log_level l);

/* The most one request may take from its arena (the worker's and CGI's):
 * config_body_max + upload_limit + 8 MiB. */
size_t config_arena_limit(const struct config *c);

/* Parses [media] sizes ("1200,400") into widths, largest first. The count,
 * or -1 when it is not 1..CONFIG_MEDIA_SIZES distinct widths of 16..8192. */
int config_media_widths(const char *text, unsigned out[CONFIG_MEDIA_SIZES]);

#endif
