/* Configuration: one table of every key (section, name, type, range, default
 * and a one-line description), filled by inih's callback. Unknown keys are
 * errors. Nothing here opens sockets or files other than the config itself. */
#include "base/config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "lib/dbhosts.h"
#include "lib/file.h"
#include "lib/ipmatch.h"
#include "lib/mime.h"
#include "lib/secretbox.h"

#ifndef RB_DATA_DIR
#define RB_DATA_DIR "/usr/local/share/recipebox"
#endif
#ifndef RB_MIGRATIONS_DIR
#define RB_MIGRATIONS_DIR "/usr/local/share/recipebox/migrations"
#endif

enum key_type { KEY_STR, KEY_UINT, KEY_SIZE, KEY_BOOL, KEY_MODE, KEY_LEVEL, KEY_RATE };

/* One key. The default is text parsed by the same setter as a file's value,
 * so it obeys the key's rules. check (strings only) refuses a value before it
 * is stored, so that a file's error names its line, and runs again in
 * config_validate for values set in code; it writes why without the key. */
struct config_key {
    struct config_key_doc d;
    enum key_type type;
    size_t offset;
    size_t size; /* KEY_STR: buffer size */
    unsigned long long min, max;
    int (*check)(const char *v, char *why, size_t whylen);
};

static int listen_check(const char *l, char *why, size_t whylen);
static int addresses_check(const char *v, char *why, size_t whylen);
static int widths_check(const char *v, char *why, size_t whylen);
static int domain_check(const char *v, char *why, size_t whylen);
static int public_url_check(const char *v, char *why, size_t whylen);
static int transport_check(const char *v, char *why, size_t whylen);
static int smtp_url_check(const char *v, char *why, size_t whylen);
static int mail_from_check(const char *v, char *why, size_t whylen);
static int registration_check(const char *v, char *why, size_t whylen);
static int key_check(const char *v, char *why, size_t whylen);
static int roles_check(const char *v, char *why, size_t whylen);
static int private_check(const char *v, char *why, size_t whylen);
static int proxy_check(const char *v, char *why, size_t whylen);
static int test_hosts_check(const char *v, char *why, size_t whylen);
static int db_hosts_check(const char *v, char *why, size_t whylen);

/* offsetof(struct config, f); a compile error unless f has t's size, so a
 * row can never write an unsigned into a size_t or an int into a char. */
#define FIELD(f, t)                                                                                \
    (offsetof(struct config, f) +                                                                  \
     0 * sizeof(char[sizeof(((struct config *)0)->f) == sizeof(t) ? 1 : -1]))
#define STR_CHECKED(sec, key, f, chk, def, doc)                                                    \
    {                                                                                              \
        {sec, key, def, doc}, KEY_STR, offsetof(struct config, f),                                 \
            sizeof(((struct config *)0)->f), 0, 0, chk                                             \
    }
#define STR(sec, key, f, def, doc) STR_CHECKED(sec, key, f, NULL, def, doc)
#define UINT(sec, key, f, lo, hi, def, doc)                                                        \
    {                                                                                              \
        {sec, key, def, doc}, KEY_UINT, FIELD(f, unsigned), 0, lo, hi, NULL                        \
    }
#define SIZE(sec, key, f, lo, hi, def, doc)                                                        \
    {                                                                                              \
        {sec, key, def, doc}, KEY_SIZE, FIELD(f, size_t), 0, lo, hi, NULL                          \
    }
#define BOOL(sec, key, f, def, doc)                                                                \
    {                                                                                              \
        {sec, key, def, doc}, KEY_BOOL, FIELD(f, int), 0, 0, 1, NULL                               \
    }
#define MODE(sec, key, f, def, doc)                                                                \
    {                                                                                              \
        {sec, key, def, doc}, KEY_MODE, FIELD(f, unsigned), 0, 0, 0777, NULL                       \
    }
#define LEVEL(sec, key, f, def, doc)                                                               \
    {                                                                                              \
        {sec, key, def, doc}, KEY_LEVEL, FIELD(f, enum log_level), 0, 0, 0, NULL                   \
    }

#define RATE(key, f, def, doc)                                                                     \
    {                                                                                              \
        {"ratelimit", key, def, doc}, KEY_RATE, FIELD(f, struct ratelimit_rule), 0, 0, 0, NULL     \
    }

/* Every key. conf/recipebox.conf.example lists the same keys with these
 * defaults, each under a comment that starts with its doc (a unit test
 * compares the two). */
static const struct config_key config_keys[] = {
    STR_CHECKED("server", "listen", listen, listen_check, "unix:var/run/recipebox.sock",
                "Where the pool listens: unix:PATH (recommended) or HOST:PORT with an explicit "
                "numeric host."),
    STR("server", "listen_owner", listen_owner, "",
        "Owner of the unix socket; empty keeps the user that creates it."),
    STR("server", "listen_group", listen_group, "",
        "Group of the unix socket: the front server's worker group."),
    MODE("server", "listen_mode", listen_mode, "0660", "Permissions of the unix socket, in octal."),
    UINT("server", "listen_backlog", listen_backlog, 1, 65535, "511",
         "Length of the kernel's accept queue."),
    STR("server", "user", user, "",
        "User every worker switches to before serving, when started as root."),
    STR("server", "group", group, "",
        "Group of the workers when started as root; empty: the user's primary group."),
    UINT("server", "workers", workers, 1, 256, "4", "Worker processes (1..256)."),
    UINT("server", "max_requests", max_requests, 0, 100000000, "10000",
         "A worker exits after this many requests and is replaced (0 = never)."),
    UINT("server", "request_timeout", request_timeout, 1, 3600, "30",
         "Seconds one request may take (including the front server sending its parameters)."),
    UINT("server", "shutdown_timeout", shutdown_timeout, 1, 3600, "30",
         "Seconds SIGTERM/SIGINT waits for in-flight requests before killing."),
    SIZE("server", "body_limit", body_limit, 1024, 1ULL << 30, "64K",
         "Largest JSON request body accepted, in bytes (413 above)."),
    SIZE("server", "memory_limit", memory_limit, 0, 1ULL << 40, "512M",
         "Address space per worker (RLIMIT_AS), 64M or more; 0 = no limit."),
    UINT("server", "keepalive_timeout", keepalive_timeout, 1, 3600, "10",
         "Seconds a FastCGI connection kept open by the front (FCGI_KEEP_CONN) may sit idle."),
    BOOL("server", "trust_forwarded", trust_forwarded, "false",
         "Take the client address from X-Forwarded-For, only when the direct peer is one of "
         "trusted_proxies."),
    STR_CHECKED("server", "trusted_proxies", trusted_proxies, addresses_check, "127.0.0.1, ::1",
                "Addresses or CIDR blocks trusted to set X-Forwarded-For (comma separated)."),
    BOOL("server", "test_routes", test_routes, "false",
         "Exposes /api/v1/_test/sleep and /api/v1/_test/echo for the fault tests."),
    UINT("server", "read_timeout", read_timeout, 1, 3600, "5",
         "Seconds a new FastCGI connection may take to send its request; one that sends "
         "nothing is closed, so idle connections cannot hold the workers."),
    STR_CHECKED("server", "public_url", public_url, public_url_check, "",
                "The site's address as users reach it (https://recipes.example.org), for links "
                "in mail; empty: no mail with a link can be sent."),
    STR("database", "socket", db_socket, "",
        "Unix socket path of the database server; empty: host and port."),
    STR_CHECKED("database", "host", db_host, db_hosts_check, "localhost",
                "Database server host name or address, when socket is empty; or several, "
                "comma-separated, each with an optional :PORT (db1:3306, db2:3306): a worker "
                "uses the first that answers and fails over to the next (docs/scale-out.md)."),
    UINT("database", "port", db_port, 1, 65535, "3306",
         "Database server TCP port, when socket is empty."),
    STR("database", "name", db_name, "recipebox", "Database name."),
    STR("database", "user", db_user, "recipebox",
        "Database account of the workers (DML rights only)."),
    STR("database", "password", db_password, "",
        "Password of user; RECIPEBOX_DB_PASSWORD in the environment wins over it."),
    STR("database", "migrate_user", db_migrate_user, "",
        "Database account of `recipebox migrate` (DDL rights); empty: user and password."),
    STR("database", "migrate_password", db_migrate_password, "",
        "Password of migrate_user; RECIPEBOX_DB_MIGRATE_PASSWORD in the environment wins over "
        "it."),
    STR("database", "migrations", migrations_dir, RB_MIGRATIONS_DIR,
        "Directory of the migration files (NNNN_name.up.sql and .down.sql)."),
    UINT("database", "connect_timeout", db_connect_timeout, 1, 300, "3",
         "Seconds to wait for a connection; a database that does not answer in time gives 503, "
         "never a hang."),
    UINT("database", "read_timeout", db_read_timeout, 1, 3600, "10",
         "Seconds to wait for the database's answer to a statement."),
    UINT("database", "write_timeout", db_write_timeout, 1, 3600, "10",
         "Seconds to wait while sending a statement to the database."),
    UINT("database", "statement_timeout_ms", db_statement_ms, 0, 3600000, "5000",
         "The server stops any statement that runs longer (max_statement_time); below "
         "read_timeout, so none outlives its request. 0 = no limit."),
    UINT("database", "search_timeout_ms", db_search_ms, 0, 3600000, "2000",
         "The same limit for the recipe list and search, the statements a client shapes."),
    SIZE("auth", "scrypt_n", scrypt_n, 1024, 1ULL << 20, "32768",
         "scrypt N for new password hashes: a power of two, 1024..2^20."),
    UINT("auth", "scrypt_r", scrypt_r, 1, 32, "8",
         "scrypt r (block size) for new password hashes, 1..32."),
    UINT("auth", "scrypt_p", scrypt_p, 1, 16, "1",
         "scrypt p (parallelism) for new password hashes, 1..16."),
    UINT("auth", "password_min", password_min, 8, 1024, "10",
         "Shortest password accepted, in bytes (8..1024)."),
    UINT("auth", "password_max", password_max, 8, 1024, "1024",
         "Longest password accepted, in bytes (8..1024); longer ones are refused, never "
         "truncated."),
    STR("auth", "common_passwords", common_passwords, RB_DATA_DIR "/common-passwords.txt",
        "File of common passwords refused at registration (one per line, compared "
        "case-insensitively)."),
    UINT("auth", "session_idle", session_idle, 1, 31536000, "604800",
         "Seconds without a request before a session ends."),
    UINT("auth", "session_absolute", session_absolute, 1, 31536000, "2592000",
         "Seconds after login when a session ends anyway."),
    UINT("auth", "login_max_failures", login_max_failures, 1, 1000, "5",
         "Failed logins allowed per account within login_window; past them login answers 429."),
    UINT("auth", "login_max_failures_address", login_max_failures_address, 1, 100000, "50",
         "Failed logins allowed per client address within login_window."),
    UINT("auth", "login_window", login_window, 1, 86400, "900",
         "Seconds over which failed logins are counted."),
    STR_CHECKED("auth", "registration", registration, registration_check, "invite",
                "Who may create an account: open (anyone), invite (with an invite from an "
                "admin: POST /api/v1/admin/invites or `recipebox user invite EMAIL`) or closed "
                "(accounts come from `recipebox user add` only)."),
    BOOL("auth", "require_verified_email", require_verified_email, "false",
         "Accounts whose email address is not confirmed may log in and read, but not post "
         "(recipes, comments, ratings, images)."),
    UINT("auth", "notify_batch", notify_batch, 1, 86400, "3600",
         "Seconds a recipe's new comments are gathered into one mail to its author: at most "
         "one such mail per recipe per this many seconds."),
    STR_CHECKED("auth", "secret_key", secret_key, key_check, "",
                "Key sealing secrets at rest (TOTP secrets, AES-256-GCM): 32 bytes as 64 hex "
                "digits or base64; RECIPEBOX_SECRET_KEY in the environment wins over it. Empty: "
                "two-factor enrolment answers 501."),
    STR_CHECKED("auth", "secret_key_previous", secret_key_previous, key_check, "",
                "The key before a rotation: still opens secrets, never seals new ones (see "
                "docs/security.md)."),
    UINT("auth", "reauth_window", reauth_window, 1, 1440, "10",
         "Minutes after a login or POST /auth/reauth during which sensitive changes are "
         "allowed."),
    STR_CHECKED("auth", "require_mfa_for", require_mfa_for, roles_check, "",
                "Roles (comma separated: moderator, admin) that act as plain users until their "
                "account has two-factor authentication on."),
    STR("log", "path", log_path, "-",
        "\"-\" for stderr, or a file (opened O_APPEND; SIGUSR1 reopens it after rotation)."),
    LEVEL("log", "level", log_level, "info",
          "Least severe level written: debug, info, warn or error."),
    STR("media", "dir", media_dir, "var/media",
        "Directory the image files are written to (writable by [server] user)."),
    STR("media", "url_prefix", media_url, "/media/",
        "URL path at which the front server serves dir; it ends with '/'."),
    SIZE("media", "upload_limit", media_upload_limit, 1024, 1ULL << 30, "10M",
         "Largest image upload, in bytes."),
    SIZE("media", "max_pixels", media_max_pixels, 1, 1ULL << 30, "40000000",
         "Images of more pixels are refused before decoding."),
    STR_CHECKED("media", "sizes", media_sizes, widths_check, "1200,400",
                "Widths to make, 1 to 4 of 16..8192 pixels (never wider than the original)."),
    BOOL("media", "webp", media_webp, "true", "Store a WebP of each width."),
    BOOL("media", "jpeg", media_jpeg, "true",
         "Store a JPEG of each width (webp, jpeg or both must be true)."),
    UINT("media", "quality", media_quality, 1, 100, "82", "Encoder quality, 1..100."),
    SIZE("media", "test_fail_after", media_test_fail_after, 0, 1ULL << 40, "0",
         "Tests only: writing media fails with ENOSPC past this many bytes (0 = off)."),
    RATE("read", rate_account[RATE_READ], "600/1m",
         "Reads per account (anonymous: per address): N/PERIOD, PERIOD s, m, h or d (\"10/15m\"); "
         "0 = no limit."),
    RATE("read_address", rate_address[RATE_READ], "1200/1m", "Reads per client address."),
    RATE("write", rate_account[RATE_WRITE], "120/1m", "Other changes per account."),
    RATE("write_address", rate_address[RATE_WRITE], "600/1m", "Other changes per client address."),
    RATE("auth", rate_account[RATE_AUTH], "20/1m",
         "Password checks (login, password change, account deletion) per account or address; "
         "the lockout counts failures on top of this."),
    RATE("auth_address", rate_address[RATE_AUTH], "60/1m", "Password checks per client address."),
    RATE("register", rate_account[RATE_REGISTER], "0",
         "Registrations per anonymous client (keyed by address); see register_address."),
    RATE("register_address", rate_address[RATE_REGISTER], "10/1h",
         "Registrations per client address."),
    RATE("recipe", rate_account[RATE_RECIPE], "60/1h", "Recipes created or changed per account."),
    RATE("recipe_address", rate_address[RATE_RECIPE], "300/1h",
         "Recipes created or changed per client address."),
    RATE("comment", rate_account[RATE_COMMENT], "30/10m", "Comments posted per account."),
    RATE("comment_address", rate_address[RATE_COMMENT], "200/10m",
         "Comments posted per client address."),
    RATE("rating", rate_account[RATE_RATING], "300/1h",
         "Ratings and favorites set or removed per account."),
    RATE("rating_address", rate_address[RATE_RATING], "1000/1h",
         "Ratings and favorites per client address."),
    RATE("upload", rate_account[RATE_UPLOAD], "30/1h", "Image uploads per account."),
    RATE("upload_address", rate_address[RATE_UPLOAD], "100/1h",
         "Image uploads per client address."),
    RATE("search", rate_account[RATE_SEARCH], "120/1m",
         "Recipe lists and searches per account (anonymous: per address)."),
    RATE("search_address", rate_address[RATE_SEARCH], "300/1m",
         "Recipe lists and searches per client address."),
    RATE("import", rate_account[RATE_IMPORT], "30/1h",
         "Recipe imports per account (each may fetch a page and its image)."),
    RATE("import_address", rate_address[RATE_IMPORT], "100/1h",
         "Recipe imports per client address."),
    UINT("ratelimit", "max_expensive", max_expensive, 0, 1024, "2",
         "Searches one client address may have running at once (429 beyond); 0 = no cap."),
    UINT("ratelimit", "quota_recipes", quota_recipes, 0, 100000000, "5000",
         "Recipes one account may keep (422 beyond); 0 = no quota."),
    UINT("ratelimit", "quota_comments", quota_comments, 0, 100000000, "20000",
         "Comments one account may keep (422 beyond); 0 = no quota."),
    UINT("ratelimit", "quota_collections", quota_collections, 0, 100000000, "500",
         "Collections one account may keep (422 beyond); 0 = no quota."),
    UINT("ratelimit", "quota_collection_recipes", quota_collection_recipes, 0, 100000000, "1000",
         "Recipes one collection may hold (adding more: 422); 0 = no cap."),
    SIZE("ratelimit", "quota_image_bytes", quota_image_bytes, 0, 1ULL << 50, "1G",
         "Bytes of recipe images one account may keep (an upload past it: 422); 0 = no quota."),
    STR_CHECKED("mail", "transport", mail_transport, transport_check, "off",
                "How mail leaves: smtp, sendmail, file (one .eml per mail in file_dir) or off "
                "(dropped with a log line)."),
    STR_CHECKED("mail", "from", mail_from, mail_from_check, "recipebox <recipebox@localhost>",
                "Sender of every mail: \"Name <address>\" or an address; its domain ends the "
                "Message-ID."),
    STR("mail", "site_name", mail_site_name, "recipebox",
        "The site's name, {{site_name}} in the templates."),
    STR("mail", "templates", mail_templates, RB_DATA_DIR "/mail",
        "Directory of the mail templates (NAME.txt, optional NAME.html); check-config checks "
        "them."),
    STR_CHECKED("mail", "smtp_url", mail_smtp_url, smtp_url_check, "smtp://127.0.0.1:25",
                "SMTP server: smtp://HOST:PORT (STARTTLS required unless HOST is 127.0.0.0/8 "
                "or [::1]) or smtps://HOST:PORT (TLS from the start)."),
    STR("mail", "smtp_user", mail_smtp_user, "", "SMTP AUTH user; empty: no AUTH."),
    STR("mail", "smtp_password", mail_smtp_password, "",
        "SMTP AUTH password; RECIPEBOX_SMTP_PASSWORD in the environment wins over it."),
    STR("mail", "smtp_ca_file", mail_smtp_ca_file, "",
        "PEM file of the CA certificates the SMTP server's certificate is checked against; "
        "empty: the system's."),
    UINT("mail", "connect_timeout", mail_connect_timeout, 1, 300, "10",
         "Seconds to wait for the SMTP server to accept the connection."),
    UINT("mail", "timeout", mail_timeout, 1, 3600, "60",
         "Seconds one send may take in all (SMTP or sendmail); past it the send is retried later."),
    STR("mail", "sendmail_path", mail_sendmail_path, "/usr/sbin/sendmail",
        "The sendmail program (run as PATH -t -i, the mail on its standard input, no shell)."),
    STR("mail", "file_dir", mail_file_dir, "var/mail",
        "Directory the file transport writes TIMESTAMP-RANDOM.eml files into."),
    BOOL("security", "cookie_secure", cookie_secure, "true",
         "Send the session cookie with Secure."),
    STR_CHECKED("security", "cookie_domain", cookie_domain, domain_check, "",
                "Domain attribute of the session cookie, to share it with subdomains; empty: "
                "this host only."),
    STR("security", "allowed_origins", allowed_origins, "",
        "Origins allowed to send state-changing requests and to read answers in a browser "
        "(CORS), exactly as browsers send them (comma separated)."),
    UINT("security", "cors_max_age", cors_max_age, 0, 86400, "600",
         "Seconds a browser may reuse an allowed origin's preflight answer."),
    STR_CHECKED("security", "metrics_allow", metrics_allow, addresses_check, "127.0.0.1, ::1",
                "Addresses (or CIDR blocks) that may read /metrics and /status; others get 404."),
    UINT("jobs", "runners", job_runners, 0, 64, "1",
         "Job runner processes the pool starts and supervises; 0 = none (run `recipebox jobs "
         "run --for 55s` from cron instead)."),
    UINT("jobs", "poll_interval", job_poll_interval, 1, 3600, "2",
         "Seconds an idle runner waits before it looks at the queue again."),
    UINT("jobs", "keep_done_days", job_keep_done_days, 0, 3650, "7",
         "Finished jobs are deleted after this many days (0 = kept for ever)."),
    UINT("jobs", "retry_base", job_retry_base, 1, 86400, "30",
         "Seconds before a failed job's first retry; doubled for each further attempt, with "
         "jitter."),
    UINT("jobs", "retry_max", job_retry_max, 1, 604800, "3600",
         "Longest wait between two attempts of a job, in seconds."),
    UINT("jobs", "cgi_run_after_response", job_cgi_after, 0, 100, "0",
         "CGI only: after the response is sent, run at most this many due jobs (0 = none)."),
    UINT("jobs", "cgi_time_budget_ms", job_cgi_budget_ms, 1, 60000, "2000",
         "CGI only: stop taking jobs after the response once this many milliseconds have "
         "passed."),
    STR_CHECKED("import", "allow_private_addresses", import_allow_private, private_check, "false",
                "Addresses an import may fetch from although they are loopback, private, "
                "link-local, CGNAT, multicast or reserved: false (none), true (all) or CIDR "
                "blocks (comma separated)."),
    STR_CHECKED("import", "proxy", import_proxy, proxy_check, "",
                "Proxy every import fetch goes through (http://HOST:PORT or socks5h://HOST:PORT); "
                "empty: straight out (the http_proxy environment is ignored)."),
    SIZE("import", "page_limit", import_page_limit, 1024, 1ULL << 30, "5M",
         "Largest page an import fetches or accepts as a text/html body, in bytes."),
    UINT("import", "timeout", import_timeout, 1, 300, "10",
         "Seconds one fetch may take in all, redirects included."),
    UINT("import", "max_redirects", import_max_redirects, 0, 10, "3",
         "Redirects an import follows (each new address checked again)."),
    STR_CHECKED("import", "test_hosts", import_test_hosts, test_hosts_check, "",
                "Tests only: NAME=ADDRESS pairs (comma separated) that a fetch resolves NAME to, "
                "before the address check, instead of asking DNS."),
    STR("archive", "dir", archive_dir, "var/archive",
        "Directory for uploaded imports and built exports (writable by [server] user)."),
    SIZE("archive", "max_bytes", archive_max_bytes, 1024, 1ULL << 32, "10M",
         "Largest archive POST /me/import or `recipebox import` takes, in bytes."),
    UINT("archive", "max_entries", archive_max_entries, 1, 1000000, "5000",
         "Most entries an imported zip may list."),
    SIZE("archive", "max_entry_bytes", archive_max_entry_bytes, 1024, 1ULL << 32, "32M",
         "Largest size one entry of an imported zip may inflate to."),
    SIZE("archive", "max_total_bytes", archive_max_total_bytes, 1024, 1ULL << 34, "256M",
         "Largest size all entries of an imported zip may inflate to together."),
    UINT("archive", "max_ratio", archive_max_ratio, 2, 100000, "100",
         "Largest inflated/compressed ratio of an entry past 64 KiB (zip bombs: 422)."),
    UINT("archive", "export_inline_max", archive_export_inline_max, 0, 100000, "50",
         "GET /me/export answers the zip at once up to this many recipes; a larger account's "
         "export is built by a job."),
    UINT("archive", "keep_days", archive_keep_days, 0, 3650, "7",
         "Days an archive file (a built export, an uploaded import) is kept; the job runners "
         "delete older ones once an hour. 0 = keep them."),
    UINT("cache", "max_age", cache_max_age, 0, 86400, "60",
         "Seconds a shared cache (the front server's, a CDN) may serve an anonymous read of a "
         "public recipe or collection without asking again. 0 = no shared caching."),
    UINT("cache", "list_max_age", cache_list_max_age, 0, 86400, "30",
         "The same for public lists and search pages, which change with every new recipe."),
    UINT("cache", "stale_while_revalidate", cache_stale_while_revalidate, 0, 86400, "30",
         "Seconds past max_age a shared cache may still answer while it revalidates in the "
         "background."),
    UINT("cache", "stale_if_error", cache_stale_if_error, 0, 604800, "600",
         "Seconds past max_age a shared cache may answer when recipebox fails or is down."),
};

#define N_KEYS (sizeof(config_keys) / sizeof(config_keys[0]))

size_t config_key_count(void)
{
    return N_KEYS;
}

const struct config_key_doc *config_key_at(size_t i)
{
    return i < N_KEYS ? &config_keys[i].d : NULL;
}

static const char *const level_names[LOG_LEVEL__MAX] = {"debug", "info", "warn", "error"};

const char *config_level_name(enum log_level l)
{
    return (unsigned)l < LOG_LEVEL__MAX ? level_names[l] : "info";
}

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

static int parse_bool(const char *v, int *out)
{
    static const char *const yes[] = {"true", "yes", "on", "1"};
    static const char *const no[] = {"false", "no", "off", "0"};
    for (size_t i = 0; i < 4; i++) {
        if (strcasecmp(v, yes[i]) == 0)
            return *out = 1, 0;
        if (strcasecmp(v, no[i]) == 0)
            return *out = 0, 0;
    }
    return -1;
}

/* Parses an unsigned number with an optional K/M/G suffix (size keys only). */
static int parse_number(const char *v, int base, int suffixes, unsigned long long *out)
{
    if (*v == '\0' || *v == '-' || *v == '+' || *v == ' ')
        return -1;
    errno = 0;
    char *end;
    unsigned long long n = strtoull(v, &end, base);
    if (errno != 0 || end == v)
        return -1;
    if (suffixes && *end != '\0' && end[1] == '\0') {
        unsigned shift = 0;
        switch (*end) {
        case 'k':
        case 'K':
            shift = 10;
            break;
        case 'm':
        case 'M':
            shift = 20;
            break;
        case 'g':
        case 'G':
            shift = 30;
            break;
        default:
            return -1;
        }
        if (n > (ULLONG_MAX >> shift))
            return -1;
        n <<= shift;
        end++;
    }
    if (*end != '\0')
        return -1;
    *out = n;
    return 0;
}

static int set_string(char *field, const struct config_key *k, const char *v, char *err,
                      size_t errlen)
{
    char why[CONFIG_ERR - 64];
    if (strlen(v) >= k->size) {
        snprintf(err, errlen, "[%s] %s: longer than %zu bytes", k->d.section, k->d.name,
                 k->size - 1);
        return -1;
    }
    if (k->check != NULL && k->check(v, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "[%s] %s: %s", k->d.section, k->d.name, why);
        return -1;
    }
    copy_str(field, k->size, v);
    return 0;
}

static int set_key(struct config *c, const struct config_key *k, const char *v, char *err,
                   size_t errlen)
{
    char *field = (char *)c + k->offset;
    const char *sec = k->d.section, *name = k->d.name;
    unsigned long long n = 0;
    int b;
    switch (k->type) {
    case KEY_STR:
        return set_string(field, k, v, err, errlen);
    case KEY_BOOL:
        if (parse_bool(v, &b) != 0) {
            snprintf(err, errlen, "[%s] %s: \"%s\" is not true or false", sec, name, v);
            return -1;
        }
        *(int *)(void *)field = b;
        return 0;
    case KEY_LEVEL:
        for (int i = 0; i < LOG_LEVEL__MAX; i++)
            if (strcasecmp(v, level_names[i]) == 0)
                return *(enum log_level *)(void *)field = (enum log_level)i, 0;
        snprintf(err, errlen, "[%s] %s: \"%s\" is not debug, info, warn or error", sec, name, v);
        return -1;
    case KEY_MODE:
        if (parse_number(v, 8, 0, &n) != 0 || n > k->max) {
            snprintf(err, errlen, "[%s] %s: \"%s\" is not an octal mode like 0660", sec, name, v);
            return -1;
        }
        *(unsigned *)(void *)field = (unsigned)n;
        return 0;
    case KEY_RATE:
        if (ratelimit_rule_parse(v, (struct ratelimit_rule *)(void *)field) != 0) {
            snprintf(err, errlen, "[%s] %s: \"%s\" is not N/PERIOD (like 10/1m, 5/15m, 100/h) or 0",
                     sec, name, v);
            return -1;
        }
        return 0;
    case KEY_UINT:
    case KEY_SIZE:
        if (parse_number(v, 10, k->type == KEY_SIZE, &n) != 0 || n < k->min || n > k->max) {
            snprintf(err, errlen, "[%s] %s: \"%s\" is not a%s number in %llu..%llu", sec, name, v,
                     k->type == KEY_SIZE ? " byte" : "n integer", k->min, k->max);
            return -1;
        }
        if (k->type == KEY_SIZE)
            *(size_t *)(void *)field = (size_t)n;
        else
            *(unsigned *)(void *)field = (unsigned)n;
        return 0;
    }
    return -1;
}

void config_defaults(struct config *c)
{
    char err[CONFIG_ERR];
    memset(c, 0, sizeof(*c));
    for (size_t i = 0; i < N_KEYS; i++)
        if (set_key(c, &config_keys[i], config_keys[i].d.def, err, sizeof(err)) != 0) {
            /* the table refuses its own default: a bug above, never a user's */
            fprintf(stderr, "config: built-in default: %s\n", err);
            abort();
        }
}

int config_set(struct config *c, const char *section, const char *key, const char *value, char *err,
               size_t errlen)
{
    int known_section = 0;
    for (size_t i = 0; i < N_KEYS; i++) {
        const struct config_key *k = &config_keys[i];
        if (strcmp(k->d.section, section) != 0)
            continue;
        known_section = 1;
        if (strcmp(k->d.name, key) == 0)
            return set_key(c, k, value, err, errlen);
    }
    if (known_section)
        snprintf(err, errlen, "[%s] %s: unknown key", section, key);
    else
        snprintf(err, errlen, "[%s]: unknown section (key %s)", section, key);
    return -1;
}

struct load_state {
    struct config *c;
    char msg[CONFIG_ERR];
    int failed;
};

static int config_ini_line(void *user, const char *section, const char *name, const char *value)
{
    struct load_state *st = user;
    if (st->failed)
        return 1; /* keep the first error; inih reports its line */
    if (config_set(st->c, section, name, value, st->msg, sizeof(st->msg)) != 0) {
        st->failed = 1;
        return 0;
    }
    return 1;
}

/* "1200,400": 1..CONFIG_MEDIA_SIZES widths of 16..8192 px, largest first
 * after sorting. Fills out; the count, or -1. */
int config_media_widths(const char *text, unsigned out[CONFIG_MEDIA_SIZES])
{
    unsigned n = 0;
    const char *p = text;
    while (*p != '\0') {
        while (*p == ' ')
            p++;
        char *end = NULL;
        if (*p < '0' || *p > '9' || n == CONFIG_MEDIA_SIZES)
            return -1;
        unsigned long v = strtoul(p, &end, 10);
        if (v < 16 || v > 8192)
            return -1;
        for (unsigned i = 0; i < n; i++)
            if (out[i] == v)
                return -1;
        out[n++] = (unsigned)v;
        p = end;
        while (*p == ' ')
            p++;
        if (*p == ',')
            p++;
        else if (*p != '\0')
            return -1;
    }
    for (unsigned i = 1; i < n; i++) /* largest first: the first is the image's url */
        for (unsigned k = i; k > 0 && out[k] > out[k - 1]; k--) {
            unsigned t = out[k];
            out[k] = out[k - 1];
            out[k - 1] = t;
        }
    return n > 0 ? (int)n : -1;
}

/* unix:PATH, or HOST:PORT with a numeric host: a bare port would bind every
 * interface, and pool_listen resolves numeric hosts only. */
static int listen_check(const char *l, char *why, size_t whylen)
{
    if (strncmp(l, "unix:", 5) == 0) {
        if (l[5] == '\0') {
            snprintf(why, whylen, "\"unix:\" needs a path");
            return -1;
        }
        if (strlen(l + 5) >= 108) {
            snprintf(why, whylen, "socket path longer than 107 bytes");
            return -1;
        }
        return 0;
    }
    const char *colon = strrchr(l, ':');
    if (colon == NULL || colon == l) {
        snprintf(why, whylen,
                 "\"%s\" must be unix:PATH or HOST:PORT with an explicit host "
                 "(127.0.0.1:9000); a bare port would listen on every interface",
                 l);
        return -1;
    }
    unsigned long long port;
    if (parse_number(colon + 1, 10, 0, &port) != 0 || port < 1 || port > 65535) {
        snprintf(why, whylen, "\"%s\" has no valid port", l);
        return -1;
    }
    /* the host is a numeric IPv4 address or a bracketed IPv6 one */
    char host[64];
    size_t hl = (size_t)(colon - l);
    unsigned char addr[16];
    int ok = 0;
    if (hl < sizeof(host)) {
        memcpy(host, l, hl);
        host[hl] = '\0';
        if (hl > 2 && host[0] == '[' && host[hl - 1] == ']') {
            host[hl - 1] = '\0';
            ok = inet_pton(AF_INET6, host + 1, addr) == 1;
        } else {
            ok = inet_pton(AF_INET, host, addr) == 1;
        }
    }
    if (!ok) {
        snprintf(why, whylen,
                 "\"%s\": the host must be a numeric address (127.0.0.1:9000 or [::1]:9000)", l);
        return -1;
    }
    return 0;
}

static int addresses_check(const char *v, char *why, size_t whylen)
{
    char bad[128];
    if (ipmatch_check(v, bad, sizeof(bad)) != 0) {
        snprintf(why, whylen, "\"%s\" is not an address or CIDR", bad);
        return -1;
    }
    return 0;
}

static int private_check(const char *v, char *why, size_t whylen)
{
    if (strcmp(v, "false") == 0 || strcmp(v, "true") == 0)
        return 0;
    if (v[0] == '\0') {
        snprintf(why, whylen, "false, true or CIDR blocks");
        return -1;
    }
    return addresses_check(v, why, whylen);
}

static int proxy_check(const char *v, char *why, size_t whylen)
{
    static const char *const schemes[] = {"http://", "https://", "socks5://", "socks5h://"};
    if (v[0] == '\0')
        return 0;
    for (size_t i = 0; i < sizeof(schemes) / sizeof(schemes[0]); i++)
        if (strncmp(v, schemes[i], strlen(schemes[i])) == 0 && v[strlen(schemes[i])] != '\0')
            return 0;
    snprintf(why, whylen, "\"%s\" is not http://, https://, socks5:// or socks5h://HOST:PORT", v);
    return -1;
}

/* "name=address, name=address": each address a literal one. */
static int test_hosts_check(const char *v, char *why, size_t whylen)
{
    const char *p = v;
    while (*p != '\0') {
        p += strspn(p, " ,");
        size_t n = strcspn(p, " ,");
        if (n == 0)
            break;
        const char *eq = memchr(p, '=', n);
        char addr[64];
        unsigned char a[16];
        size_t alen = eq != NULL ? n - (size_t)(eq + 1 - p) : 0;
        if (eq == NULL || eq == p || alen == 0 || alen >= sizeof(addr)) {
            snprintf(why, whylen, "\"%.*s\" is not NAME=ADDRESS", (int)(n < 60 ? n : 60), p);
            return -1;
        }
        memcpy(addr, eq + 1, alen);
        addr[alen] = '\0';
        if (inet_pton(AF_INET, addr, a) != 1 && inet_pton(AF_INET6, addr, a) != 1) {
            snprintf(why, whylen, "\"%s\" is not an IPv4 or IPv6 address", addr);
            return -1;
        }
        p += n;
    }
    return 0;
}

/* [database] host: one host or a list (lib/dbhosts.h); "" is left to
 * config_validate, which wants a socket then. */
static int db_hosts_check(const char *v, char *why, size_t whylen)
{
    struct dbhost hosts[DBHOSTS_MAX];
    if (v[0] == '\0')
        return 0;
    return dbhosts_parse(v, strlen(v), 3306, hosts, DBHOSTS_MAX, why, whylen) > 0 ? 0 : -1;
}

static int widths_check(const char *v, char *why, size_t whylen)
{
    unsigned widths[CONFIG_MEDIA_SIZES];
    if (config_media_widths(v, widths) < 0) {
        snprintf(why, whylen, "\"%s\" is not 1 to 4 distinct widths of 16..8192, like 1200,400", v);
        return -1;
    }
    return 0;
}

/* A cookie Domain: empty, or DNS labels of letters, digits and '-' joined
 * by dots. Anything else would be a Set-Cookie attribute of its own (";"),
 * or a value browsers drop without a word (a leading dot, an empty label). */
static int registration_check(const char *v, char *why, size_t whylen)
{
    if (strcmp(v, "open") == 0 || strcmp(v, "invite") == 0 || strcmp(v, "closed") == 0)
        return 0;
    snprintf(why, whylen, "must be open, invite or closed");
    return -1;
}

static int domain_check(const char *v, char *why, size_t whylen)
{
    size_t label = 0;
    for (const char *p = v; *p != '\0'; p++) {
        int alnum =
            (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9');
        if (*p == '.' && label > 0 && p[1] != '\0') {
            label = 0;
            continue;
        }
        if ((!alnum && *p != '-') || ++label > 63) {
            snprintf(why, whylen, "\"%s\" is not a host name like example.org (no leading dot)", v);
            return -1;
        }
    }
    return 0;
}

/* http(s)://host[:port][/path] of printable ASCII, no trailing '/' (links
 * are the path appended), or empty. */
static int public_url_check(const char *v, char *why, size_t whylen)
{
    size_t n = strlen(v);
    int ok = n == 0 || ((strncmp(v, "https://", 8) == 0 || strncmp(v, "http://", 7) == 0) &&
                        v[n - 1] != '/' && strlen(v) > 8);
    for (size_t i = 0; ok && i < n; i++)
        ok = v[i] > 0x20 && v[i] < 0x7f && v[i] != '<' && v[i] != '>' && v[i] != '"';
    if (!ok)
        snprintf(why, whylen, "\"%s\" is not https://HOST[/PATH] without a trailing '/'", v);
    return ok ? 0 : -1;
}

static int transport_check(const char *v, char *why, size_t whylen)
{
    static const char *const names[] = {"smtp", "sendmail", "file", "off"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcmp(v, names[i]) == 0)
            return 0;
    snprintf(why, whylen, "\"%s\" is not smtp, sendmail, file or off", v);
    return -1;
}

/* smtp://HOST:PORT or smtps://HOST:PORT, HOST a name, an IPv4 address or a
 * bracketed IPv6 one; nothing after the port (no user, no path). */
static int smtp_url_check(const char *v, char *why, size_t whylen)
{
    const char *host = strncmp(v, "smtp://", 7) == 0    ? v + 7
                       : strncmp(v, "smtps://", 8) == 0 ? v + 8
                                                        : NULL;
    const char *colon = host != NULL ? strrchr(host, ':') : NULL;
    unsigned long long port = 0;
    int ok = colon != NULL && colon > host && parse_number(colon + 1, 10, 0, &port) == 0 &&
             port >= 1 && port <= 65535;
    for (const char *p = host; ok && p < colon; p++)
        ok = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
             strchr(".-:[]", *p) != NULL;
    if (!ok)
        snprintf(why, whylen, "\"%s\" is not smtp://HOST:PORT or smtps://HOST:PORT", v);
    return ok ? 0 : -1;
}

static int mail_from_check(const char *v, char *why, size_t whylen)
{
    char addr[MIME_ADDRESS_MAX + 1];
    if (mime_from_address(v, addr, sizeof(addr)) == 0)
        return 0;
    snprintf(why, whylen, "\"%s\" is not \"Name <address>\" or an address", v);
    return -1;
}

static int key_check(const char *v, char *why, size_t whylen)
{
    struct secretbox_key k;
    if (secretbox_key_parse(v, &k) == 0)
        return 0;
    snprintf(why, whylen, "not a 32-byte key: 64 hex digits or base64 of 32 bytes");
    return -1;
}

static int roles_check(const char *v, char *why, size_t whylen)
{
    for (const char *p = v; *p != '\0';) {
        p += strspn(p, " ,");
        size_t n = strcspn(p, " ,");
        if (n > 0 && !((n == 5 && strncmp(p, "admin", 5) == 0) ||
                       (n == 9 && strncmp(p, "moderator", 9) == 0))) {
            snprintf(why, whylen, "\"%.*s\" is not a role that may require MFA (moderator, admin)",
                     (int)(n < 40 ? n : 40), p);
            return -1;
        }
        p += n;
    }
    return 0;
}

static size_t config_body_max(const struct config *c)
{
    size_t m = c->body_limit > c->media_upload_limit ? c->body_limit : c->media_upload_limit;
    return m > c->import_page_limit ? m : c->import_page_limit;
}

size_t config_arena_limit(const struct config *c)
{
    /* the body, one more copy of an upload (a multipart part is moved out of
     * the form), and 8 MiB for JSON trees and the answer */
    return config_body_max(c) + c->media_upload_limit + (8u << 20);
}

/* Runs each key's own check again: a struct filled in code never met it. */
static int keys_validate(const struct config *c, char *err, size_t errlen)
{
    char why[CONFIG_ERR - 64];
    for (size_t i = 0; i < N_KEYS; i++) {
        const struct config_key *k = &config_keys[i];
        if (k->check != NULL && k->check((const char *)c + k->offset, why, sizeof(why)) != 0) {
            snprintf(err, errlen, "[%s] %s: %s", k->d.section, k->d.name, why);
            return -1;
        }
    }
    return 0;
}

static int media_validate(const struct config *c, char *err, size_t errlen)
{
    if (!c->media_webp && !c->media_jpeg) {
        snprintf(err, errlen, "[media] webp and jpeg are both false: no format to store");
        return -1;
    }
    size_t n = strlen(c->media_url);
    if (n == 0 || c->media_url[n - 1] != '/') {
        snprintf(err, errlen, "[media] url_prefix must end with '/'");
        return -1;
    }
    if (c->media_dir[0] == '\0') {
        snprintf(err, errlen, "[media] dir must be set");
        return -1;
    }
    return 0;
}

int config_validate(const struct config *c, char *err, size_t errlen)
{
    if (keys_validate(c, err, errlen) != 0)
        return -1;
    if (c->memory_limit != 0 && c->memory_limit < (64ULL << 20)) {
        snprintf(err, errlen, "[server] memory_limit: below 64M a worker cannot start (0 = none)");
        return -1;
    }
    if (c->scrypt_n & (c->scrypt_n - 1)) {
        snprintf(err, errlen, "[auth] scrypt_n: %zu is not a power of two", c->scrypt_n);
        return -1;
    }
    if (c->password_min > c->password_max) {
        snprintf(err, errlen, "[auth] password_min is above password_max");
        return -1;
    }
    if (c->session_idle > c->session_absolute) {
        snprintf(err, errlen, "[auth] session_idle is above session_absolute");
        return -1;
    }
    if (media_validate(c, err, errlen) != 0)
        return -1;
    if (c->db_socket[0] == '\0' && c->db_host[0] == '\0') {
        snprintf(err, errlen, "[database] socket or host must be set");
        return -1;
    }
    /* the server must stop a statement before the worker stops waiting */
    unsigned long long wait_ms = (unsigned long long)c->db_read_timeout * 1000;
    if (c->db_statement_ms >= wait_ms || c->db_search_ms >= wait_ms) {
        snprintf(err, errlen,
                 "[database] statement_timeout_ms and search_timeout_ms must be below "
                 "read_timeout (in ms)");
        return -1;
    }
    /* and before the watchdog kills the worker: a killed worker answers
     * 502 and leaves its statement running until the next connection's
     * KILL QUERY */
    unsigned long long watchdog_ms = (unsigned long long)c->request_timeout * 1000;
    if (c->db_statement_ms >= watchdog_ms || c->db_search_ms >= watchdog_ms) {
        snprintf(err, errlen,
                 "[database] statement_timeout_ms and search_timeout_ms must be below "
                 "[server] request_timeout (in ms)");
        return -1;
    }
    return 0;
}

static void env_overrides(struct config *c)
{
    const char *pw = getenv("RECIPEBOX_DB_PASSWORD");
    if (pw != NULL)
        copy_str(c->db_password, sizeof(c->db_password), pw);
    const char *spw = getenv("RECIPEBOX_SMTP_PASSWORD");
    if (spw != NULL)
        copy_str(c->mail_smtp_password, sizeof(c->mail_smtp_password), spw);
    const char *mpw = getenv("RECIPEBOX_DB_MIGRATE_PASSWORD");
    if (mpw != NULL)
        copy_str(c->db_migrate_password, sizeof(c->db_migrate_password), mpw);
    const char *key = getenv("RECIPEBOX_SECRET_KEY");
    if (key != NULL)
        copy_str(c->secret_key, sizeof(c->secret_key), key);
}

static int finish_load(struct config *c, int rc, struct load_state *st, const char *name, char *err,
                       size_t errlen)
{
    if (rc < 0) {
        snprintf(err, errlen, "%s: cannot read: %s", name, strerror(errno));
        return -1;
    }
    if (rc > 0) {
        if (st->failed)
            snprintf(err, errlen, "%s:%d: %s", name, rc, st->msg);
        else
            snprintf(err, errlen, "%s:%d: syntax error (expected [section] or key = value)", name,
                     rc);
        return -1;
    }
    env_overrides(c);
    char msg[CONFIG_ERR - 64];
    if (config_validate(c, msg, sizeof(msg)) != 0) {
        snprintf(err, errlen, "%s: %s", name, msg);
        return -1;
    }
    copy_str(c->path, sizeof(c->path), name);
    return 0;
}

/* inih would read past what we allow without a word: a line longer than
 * INI_MAX_LINE is cut and its tail read as a line of its own, an indented
 * line continues the previous value (INI_ALLOW_MULTILINE), and its first
 * syntax error's line is reported even when our own error came later. So
 * every line is checked here first, with inih's own rules (isspace, a
 * leading BOM, ';' comments after white space); inih then only sees text it
 * handles as written. Returns 0, or -1 with "NAME:LINE: why" in err. */
static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

/* Position of the first of chars in s[0..len) before an inline comment
 * (';' after white space), or -1. */
static long find_before_comment(const char *s, size_t len, const char *chars)
{
    int was_space = 0;
    for (size_t i = 0; i < len; i++) {
        if (was_space && s[i] == ';')
            return -1;
        if (strchr(chars, s[i]) != NULL)
            return (long)i;
        was_space = is_space(s[i]);
    }
    return -1;
}

static const char *prescan_line(const char *p, size_t len)
{
    if (len >= INI_MAX_LINE - 1)
        return "line longer than the 198 bytes the parser reads";
    const char *cr = memchr(p, '\r', len);
    if (cr != NULL && cr != p + len - 1)
        return "carriage return inside a line (line ends must be LF or CRLF)";
    size_t i = 0;
    while (i < len && is_space(p[i]))
        i++;
    if (i == len || p[i] == ';' || p[i] == '#')
        return NULL; /* blank or comment */
    if (i > 0)
        return "indented line (continuation lines are not supported)";
    if (p[0] == '[')
        return find_before_comment(p + 1, len - 1, "]") < 0
                   ? "syntax error (section header without ']')"
                   : NULL;
    return find_before_comment(p, len, "=:") < 0
               ? "syntax error (expected [section] or key = value)"
               : NULL;
}

static int prescan(const char *text, const char *name, char *err, size_t errlen)
{
    unsigned line = 0;
    if ((unsigned char)text[0] == 0xef && (unsigned char)text[1] == 0xbb &&
        (unsigned char)text[2] == 0xbf)
        text += 3; /* inih skips a UTF-8 byte order mark too */
    for (const char *p = text; *p != '\0';) {
        line++;
        size_t len = strcspn(p, "\n");
        const char *why = prescan_line(p, len);
        if (why != NULL) {
            snprintf(err, errlen, "%s:%u: %s", name, line, why);
            return -1;
        }
        p += len + (p[len] == '\n');
    }
    return 0;
}

int config_load_string(struct config *c, const char *text, const char *name, char *err,
                       size_t errlen)
{
    struct load_state st = {.c = c};
    config_defaults(c);
    if (prescan(text, name, err, errlen) != 0)
        return -1;
    int rc = ini_parse_string(text, config_ini_line, &st);
    return finish_load(c, rc < 0 ? -1 : rc, &st, name, err, errlen);
}

int config_load(struct config *c, const char *path, char *err, size_t errlen)
{
    config_defaults(c);
    char *text;
    size_t n;
    if (file_read_all(path, 1 << 20, &text, &n, err, errlen) != 0)
        return -1;
    if (memchr(text, '\0', n) != NULL) {
        free(text);
        snprintf(err, errlen, "%s: cannot read: it holds a NUL byte", path);
        return -1;
    }
    int rc = config_load_string(c, text, path, err, errlen);
    free(text);
    return rc;
}
