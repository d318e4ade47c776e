/* Configuration: a table of every key (section, name, type, range), filled by
 * inih's callback. Unknown keys are errors. Nothing here opens sockets or
 * files other than the config itself. */
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

#include "lib/file.h"
#include "lib/ipmatch.h"

#ifndef RB_DATA_DIR
#define RB_DATA_DIR "/usr/local/share/recipebox"
#endif
#ifndef RB_MIGRATIONS_DIR
#define RB_MIGRATIONS_DIR "/usr/local/share/recipebox/migrations"
#endif

enum key_type { KEY_STR, KEY_UINT, KEY_SIZE, KEY_BOOL, KEY_MODE, KEY_LEVEL };

struct key {
    const char *section;
    const char *name;
    enum key_type type;
    size_t offset;
    size_t size; /* KEY_STR: buffer size */
    unsigned long long min, max;
};

#define STR(sec, key, field)                                                                       \
    {                                                                                              \
        sec, key, KEY_STR, offsetof(struct config, field), sizeof(((struct config *)0)->field), 0, \
            0                                                                                      \
    }
#define UINT(sec, key, field, lo, hi)                                                              \
    {                                                                                              \
        sec, key, KEY_UINT, offsetof(struct config, field), 0, lo, hi                              \
    }
#define SIZE(sec, key, field, lo, hi)                                                              \
    {                                                                                              \
        sec, key, KEY_SIZE, offsetof(struct config, field), 0, lo, hi                              \
    }
#define BOOL(sec, key, field)                                                                      \
    {                                                                                              \
        sec, key, KEY_BOOL, offsetof(struct config, field), 0, 0, 1                                \
    }

static const struct key config_keys[] = {
    STR("server", "listen", listen),
    STR("server", "listen_owner", listen_owner),
    STR("server", "listen_group", listen_group),
    {"server", "listen_mode", KEY_MODE, offsetof(struct config, listen_mode), 0, 0, 0777},
    UINT("server", "listen_backlog", listen_backlog, 1, 65535),
    STR("server", "user", user),
    STR("server", "group", group),
    UINT("server", "workers", workers, 1, 256),
    UINT("server", "max_requests", max_requests, 0, 100000000),
    UINT("server", "request_timeout", request_timeout, 1, 3600),
    UINT("server", "shutdown_timeout", shutdown_timeout, 1, 3600),
    SIZE("server", "body_limit", body_limit, 1024, 1ULL << 30),
    SIZE("server", "memory_limit", memory_limit, 0, 1ULL << 40),
    UINT("server", "keepalive_timeout", keepalive_timeout, 1, 3600),
    BOOL("server", "trust_forwarded", trust_forwarded),
    STR("server", "trusted_proxies", trusted_proxies),
    BOOL("server", "test_routes", test_routes),
    STR("database", "socket", db_socket),
    STR("database", "host", db_host),
    UINT("database", "port", db_port, 1, 65535),
    STR("database", "name", db_name),
    STR("database", "user", db_user),
    STR("database", "password", db_password),
    STR("database", "migrate_user", db_migrate_user),
    STR("database", "migrate_password", db_migrate_password),
    STR("database", "migrations", migrations_dir),
    UINT("database", "connect_timeout", db_connect_timeout, 1, 300),
    UINT("database", "read_timeout", db_read_timeout, 1, 3600),
    UINT("database", "write_timeout", db_write_timeout, 1, 3600),
    {"auth", "scrypt_n", KEY_SIZE, offsetof(struct config, scrypt_n), 0, 1024, 1ULL << 20},
    UINT("auth", "scrypt_r", scrypt_r, 1, 32),
    UINT("auth", "scrypt_p", scrypt_p, 1, 16),
    UINT("auth", "password_min", password_min, 8, 1024),
    UINT("auth", "password_max", password_max, 8, 1024),
    STR("auth", "common_passwords", common_passwords),
    UINT("auth", "session_idle", session_idle, 1, 31536000),
    UINT("auth", "session_absolute", session_absolute, 1, 31536000),
    UINT("auth", "login_max_failures", login_max_failures, 1, 1000),
    UINT("auth", "login_max_failures_address", login_max_failures_address, 1, 100000),
    UINT("auth", "login_window", login_window, 1, 86400),
    STR("log", "path", log_path),
    {"log", "level", KEY_LEVEL, offsetof(struct config, log_level), 0, 0, 0},
    STR("media", "dir", media_dir),
    STR("media", "url_prefix", media_url),
    SIZE("media", "upload_limit", media_upload_limit, 1024, 1ULL << 30),
    SIZE("media", "max_pixels", media_max_pixels, 1, 1ULL << 30),
    STR("media", "sizes", media_sizes),
    BOOL("media", "webp", media_webp),
    BOOL("media", "jpeg", media_jpeg),
    UINT("media", "quality", media_quality, 1, 100),
    SIZE("media", "test_fail_after", media_test_fail_after, 0, 1ULL << 40),
    BOOL("security", "cookie_secure", cookie_secure),
    STR("security", "allowed_origins", allowed_origins),
    STR("security", "metrics_allow", metrics_allow),
};

static const char *const level_names[LOG_LEVEL__MAX] = {"debug", "info", "warn", "error"};

const char *config_level_name(enum log_level l)
{
    return (unsigned)l < LOG_LEVEL__MAX ? level_names[l] : "info";
}

static void copy_str(char *dst, size_t size, const char *src)
{
    snprintf(dst, size, "%s", src);
}

void config_defaults(struct config *c)
{
    memset(c, 0, sizeof(*c));
    copy_str(c->listen, sizeof(c->listen), "unix:var/run/recipebox.sock");
    c->listen_mode = 0660;
    c->listen_backlog = 511;
    c->workers = 4;
    c->max_requests = 10000;
    c->request_timeout = 30;
    c->shutdown_timeout = 30;
    c->body_limit = 65536;
    c->memory_limit = 512ULL << 20;
    c->keepalive_timeout = 10;
    copy_str(c->db_host, sizeof(c->db_host), "localhost");
    c->db_port = 3306;
    copy_str(c->db_name, sizeof(c->db_name), "recipebox");
    copy_str(c->db_user, sizeof(c->db_user), "recipebox");
    copy_str(c->migrations_dir, sizeof(c->migrations_dir), RB_MIGRATIONS_DIR);
    copy_str(c->media_dir, sizeof(c->media_dir), "var/media");
    copy_str(c->media_url, sizeof(c->media_url), "/media/");
    c->media_upload_limit = 10ULL << 20;
    c->media_max_pixels = 40000000;
    copy_str(c->media_sizes, sizeof(c->media_sizes), "1200,400");
    c->media_webp = 1;
    c->media_jpeg = 1;
    c->media_quality = 82;
    c->db_connect_timeout = 3;
    c->db_read_timeout = 10;
    c->db_write_timeout = 10;
    c->scrypt_n = 32768;
    c->scrypt_r = 8;
    c->scrypt_p = 1;
    c->password_min = 10;
    c->password_max = 1024;
    copy_str(c->common_passwords, sizeof(c->common_passwords), RB_DATA_DIR "/common-passwords.txt");
    c->session_idle = 7 * 86400;
    c->session_absolute = 30 * 86400;
    c->login_max_failures = 5;
    c->login_max_failures_address = 50;
    c->login_window = 900;
    copy_str(c->log_path, sizeof(c->log_path), "-");
    c->log_level = LOG_INFO;
    c->cookie_secure = 1;
    copy_str(c->metrics_allow, sizeof(c->metrics_allow), "127.0.0.1, ::1");
    copy_str(c->trusted_proxies, sizeof(c->trusted_proxies), "127.0.0.1, ::1");
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

static int set_key(struct config *c, const struct key *k, const char *v, char *err, size_t errlen)
{
    char *field = (char *)c + k->offset;
    unsigned long long n = 0;
    int b;
    switch (k->type) {
    case KEY_STR:
        if (strlen(v) >= k->size) {
            snprintf(err, errlen, "[%s] %s: longer than %zu bytes", k->section, k->name,
                     k->size - 1);
            return -1;
        }
        copy_str(field, k->size, v);
        return 0;
    case KEY_BOOL:
        if (parse_bool(v, &b) != 0) {
            snprintf(err, errlen, "[%s] %s: \"%s\" is not true or false", k->section, k->name, v);
            return -1;
        }
        *(int *)(void *)field = b;
        return 0;
    case KEY_LEVEL:
        for (int i = 0; i < LOG_LEVEL__MAX; i++)
            if (strcasecmp(v, level_names[i]) == 0)
                return *(enum log_level *)(void *)field = (enum log_level)i, 0;
        snprintf(err, errlen, "[%s] %s: \"%s\" is not debug, info, warn or error", k->section,
                 k->name, v);
        return -1;
    case KEY_MODE:
        if (parse_number(v, 8, 0, &n) != 0 || n > 0777) {
            snprintf(err, errlen, "[%s] %s: \"%s\" is not an octal mode like 0660", k->section,
                     k->name, v);
            return -1;
        }
        *(unsigned *)(void *)field = (unsigned)n;
        return 0;
    case KEY_UINT:
    case KEY_SIZE:
        if (parse_number(v, 10, k->type == KEY_SIZE, &n) != 0 || n < k->min || n > k->max) {
            snprintf(err, errlen, "[%s] %s: \"%s\" is not a%s number in %llu..%llu", k->section,
                     k->name, v, k->type == KEY_SIZE ? " byte" : "n integer", k->min, k->max);
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

int config_set(struct config *c, const char *section, const char *key, const char *value, char *err,
               size_t errlen)
{
    int known_section = 0;
    for (size_t i = 0; i < sizeof(config_keys) / sizeof(config_keys[0]); i++) {
        const struct key *k = &config_keys[i];
        if (strcmp(k->section, section) != 0)
            continue;
        known_section = 1;
        if (strcmp(k->name, key) == 0)
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

static int listen_check(const char *l, char *err, size_t errlen)
{
    if (strncmp(l, "unix:", 5) == 0) {
        if (l[5] == '\0') {
            snprintf(err, errlen, "[server] listen: \"unix:\" needs a path");
            return -1;
        }
        if (strlen(l + 5) >= 108) {
            snprintf(err, errlen, "[server] listen: socket path longer than 107 bytes");
            return -1;
        }
        return 0;
    }
    const char *colon = strrchr(l, ':');
    if (colon == NULL || colon == l) {
        snprintf(err, errlen,
                 "[server] listen: \"%s\" must be unix:PATH or HOST:PORT with an explicit host "
                 "(127.0.0.1:9000); a bare port would listen on every interface",
                 l);
        return -1;
    }
    unsigned long long port;
    if (parse_number(colon + 1, 10, 0, &port) != 0 || port < 1 || port > 65535) {
        snprintf(err, errlen, "[server] listen: \"%s\" has no valid port", l);
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
        snprintf(err, errlen,
                 "[server] listen: \"%s\": the host must be a numeric address (127.0.0.1:9000 or "
                 "[::1]:9000)",
                 l);
        return -1;
    }
    return 0;
}

size_t config_body_max(const struct config *c)
{
    return c->body_limit > c->media_upload_limit ? c->body_limit : c->media_upload_limit;
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

static int media_validate(const struct config *c, char *err, size_t errlen)
{
    unsigned widths[CONFIG_MEDIA_SIZES];
    if (config_media_widths(c->media_sizes, widths) < 0) {
        snprintf(err, errlen, "[media] sizes: 1 to 4 distinct widths of 16..8192, like 1200,400");
        return -1;
    }
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
    char bad[128];
    if (listen_check(c->listen, err, errlen) != 0)
        return -1;
    if (ipmatch_check(c->metrics_allow, bad, sizeof(bad)) != 0) {
        snprintf(err, errlen, "[security] metrics_allow: \"%s\" is not an address or CIDR", bad);
        return -1;
    }
    if (ipmatch_check(c->trusted_proxies, bad, sizeof(bad)) != 0) {
        snprintf(err, errlen, "[server] trusted_proxies: \"%s\" is not an address or CIDR", bad);
        return -1;
    }
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
    return 0;
}

static void env_overrides(struct config *c)
{
    const char *pw = getenv("RECIPEBOX_DB_PASSWORD");
    if (pw != NULL)
        copy_str(c->db_password, sizeof(c->db_password), pw);
    const char *mpw = getenv("RECIPEBOX_DB_MIGRATE_PASSWORD");
    if (mpw != NULL)
        copy_str(c->db_migrate_password, sizeof(c->db_migrate_password), mpw);
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
