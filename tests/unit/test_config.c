/* Unit tests for the configuration (base/config.c): defaults, every key type
 * and its range, unknown sections and keys, "FILE:LINE: [section] key"
 * messages, relations checked by config_validate, the listen address rules,
 * the RECIPEBOX_DB_PASSWORD override, and conf/recipebox.conf.example against
 * the key table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/config.h"
#include "unit.h"

/* config_set must succeed; prints the message when it does not. */
static int set_ok(struct config *c, const char *sec, const char *key, const char *val)
{
    char err[CONFIG_ERR] = "";
    if (config_set(c, sec, key, val, err, sizeof(err)) == 0)
        return 1;
    fprintf(stderr, "\n    [%s] %s = \"%s\" refused: %s\n", sec, key, val, err);
    return 0;
}

/* config_set must fail with a message containing needle. */
static int set_fails(struct config *c, const char *sec, const char *key, const char *val,
                     const char *needle)
{
    char err[CONFIG_ERR] = "";
    if (config_set(c, sec, key, val, err, sizeof(err)) == 0) {
        fprintf(stderr, "\n    [%s] %s = \"%s\" accepted\n", sec, key, val);
        return 0;
    }
    if (strstr(err, needle) != NULL)
        return 1;
    fprintf(stderr, "\n    [%s] %s = \"%s\": \"%s\" not in \"%s\"\n", sec, key, val, needle, err);
    return 0;
}

/* config_load_string must fail (as t.conf) with a message containing needle. */
static int load_fails(const char *text, const char *needle)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    if (config_load_string(&c, text, "t.conf", err, sizeof(err)) == 0) {
        fprintf(stderr, "\n    accepted: %s\n", text);
        return 0;
    }
    if (strstr(err, needle) != NULL && strncmp(err, "t.conf", 6) == 0)
        return 1;
    fprintf(stderr, "\n    \"%s\" not in \"%s\"\n", needle, err);
    return 0;
}

/* config_validate over the defaults with listen replaced. */
static int listen_valid(const char *listen, char *err, size_t errlen)
{
    struct config c;
    config_defaults(&c);
    snprintf(c.listen, sizeof(c.listen), "%s", listen);
    err[0] = '\0';
    return config_validate(&c, err, errlen) == 0;
}

static int listen_ok(const char *listen)
{
    char err[CONFIG_ERR];
    if (listen_valid(listen, err, sizeof(err)))
        return 1;
    fprintf(stderr, "\n    listen = %s refused: %s\n", listen, err);
    return 0;
}

static int listen_refused(const char *listen)
{
    char err[CONFIG_ERR];
    if (listen_valid(listen, err, sizeof(err))) {
        fprintf(stderr, "\n    listen = %s accepted\n", listen);
        return 0;
    }
    return strncmp(err, "[server] listen: ", 17) == 0;
}

#define SET_OK(c, s, k, v) UNIT_CHECK_AT(set_ok(c, s, k, v), __LINE__, "set_ok(" #k ", " #v ")")
#define SET_FAILS(c, s, k, v, needle)                                                              \
    UNIT_CHECK_AT(set_fails(c, s, k, v, needle), __LINE__, "set_fails(" #k ", " #v ")")
#define LOAD_FAILS(text, needle)                                                                   \
    UNIT_CHECK_AT(load_fails(text, needle), __LINE__, "load_fails(" #needle ")")
#define LISTEN_OK(l) UNIT_CHECK_AT(listen_ok(l), __LINE__, "listen_ok(" #l ")")
#define LISTEN_REFUSED(l) UNIT_CHECK_AT(listen_refused(l), __LINE__, "listen_refused(" #l ")")

static void test_defaults(void)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    config_defaults(&c);
    /* the values conf/recipebox.conf.example documents */
    UNIT_ASSERT_STR(c.path, "");
    UNIT_ASSERT_STR(c.listen, "unix:var/run/recipebox.sock");
    CU_ASSERT_EQUAL(c.listen_mode, 0660);
    CU_ASSERT_EQUAL(c.workers, 4);
    CU_ASSERT_EQUAL(c.max_requests, 10000);
    CU_ASSERT_EQUAL(c.request_timeout, 30);
    CU_ASSERT_EQUAL(c.shutdown_timeout, 30);
    CU_ASSERT_EQUAL(c.body_limit, 65536);
    UNIT_ASSERT_STR(c.log_path, "-");
    CU_ASSERT_EQUAL(c.log_level, LOG_INFO);
    CU_ASSERT_EQUAL(c.cookie_secure, 1);
    CU_ASSERT_EQUAL(c.trust_forwarded, 0);
    CU_ASSERT_EQUAL(c.test_routes, 0);
    UNIT_ASSERT_STR(c.metrics_allow, "127.0.0.1, ::1");
    /* scrypt N=2^15, r=8, p=1 (docs/pitfalls.md: never the header's p=16) */
    CU_ASSERT_EQUAL(c.scrypt_n, 32768);
    CU_ASSERT_EQUAL(c.scrypt_r, 8);
    CU_ASSERT_EQUAL(c.scrypt_p, 1);
    CU_ASSERT_EQUAL(c.password_min, 10);
    CU_ASSERT_EQUAL(c.password_max, 1024);
    CU_ASSERT_EQUAL(c.db_port, 3306);
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);
    UNIT_ASSERT_STR(config_level_name(LOG_DEBUG), "debug");
    UNIT_ASSERT_STR(config_level_name(LOG_WARN), "warn");
    UNIT_ASSERT_STR(config_level_name(LOG_ERROR), "error");
    UNIT_ASSERT_STR(config_level_name((enum log_level)99), "info");
}

static void test_load_string_values(void)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    const char *text = "; a comment\n"
                       "# another comment\n"
                       "\n"
                       "[server]\n"
                       "listen = 127.0.0.1:9000\n"
                       "listen_mode = 0600\n"
                       "workers = 8 ; an inline comment\n"
                       "body_limit = 1M\n"
                       "memory_limit = 0\n"
                       "trust_forwarded = yes\n"
                       "trusted_proxies = 10.0.0.0/8, ::1\n"
                       "[database]\n"
                       "host = db.internal\n"
                       "port = 3307\n"
                       "password = p=w;rd\n"
                       "[log]\n"
                       "level = DEBUG\n"
                       "[security]\n"
                       "cookie_secure = off\n"
                       "allowed_origins = https://a.example, https://b.example\n";
    int rc = config_load_string(&c, text, "t.conf", err, sizeof(err));
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    UNIT_ASSERT_STR(c.path, "t.conf");
    UNIT_ASSERT_STR(c.listen, "127.0.0.1:9000");
    CU_ASSERT_EQUAL(c.listen_mode, 0600);
    CU_ASSERT_EQUAL(c.workers, 8);
    CU_ASSERT_EQUAL(c.body_limit, 1048576);
    CU_ASSERT_EQUAL(c.memory_limit, 0);
    CU_ASSERT_EQUAL(c.trust_forwarded, 1);
    UNIT_ASSERT_STR(c.trusted_proxies, "10.0.0.0/8, ::1");
    UNIT_ASSERT_STR(c.db_host, "db.internal");
    CU_ASSERT_EQUAL(c.db_port, 3307);
    UNIT_ASSERT_STR(c.db_password, "p=w;rd"); /* '=' and ';' without a space stay */
    CU_ASSERT_EQUAL(c.log_level, LOG_DEBUG);
    CU_ASSERT_EQUAL(c.cookie_secure, 0);
    UNIT_ASSERT_STR(c.allowed_origins, "https://a.example, https://b.example");
    CU_ASSERT_EQUAL(c.max_requests, 10000); /* untouched keys keep their defaults */
    CU_ASSERT_EQUAL(c.request_timeout, 30);

    /* Windows line endings */
    rc = config_load_string(&c, "[server]\r\nworkers = 3\r\n[log]\r\npath = /var/log/rb.log\r\n",
                            "crlf.conf", err, sizeof(err));
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(c.workers, 3);
    UNIT_ASSERT_STR(c.log_path, "/var/log/rb.log");

    /* a second load starts again from the defaults */
    rc = config_load_string(&c, "", "empty.conf", err, sizeof(err));
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(c.workers, 4);
    UNIT_ASSERT_STR(c.log_path, "-");
    UNIT_ASSERT_STR(c.path, "empty.conf");
}

static void test_booleans(void)
{
    struct config c;
    config_defaults(&c);
    static const char *const yes[] = {"true", "yes", "on", "1", "TRUE", "Yes", "On"};
    static const char *const no[] = {"false", "no", "off", "0", "FALSE", "No", "OFF"};
    for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
        c.trust_forwarded = 0;
        SET_OK(&c, "server", "trust_forwarded", yes[i]);
        CU_ASSERT_EQUAL(c.trust_forwarded, 1);
    }
    for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
        c.cookie_secure = 1;
        SET_OK(&c, "security", "cookie_secure", no[i]);
        CU_ASSERT_EQUAL(c.cookie_secure, 0);
    }
    c.test_routes = 0;
    SET_FAILS(&c, "server", "test_routes", "maybe",
              "[server] test_routes: \"maybe\" is not true or false");
    SET_FAILS(&c, "server", "test_routes", "", "[server] test_routes");
    SET_FAILS(&c, "server", "test_routes", "2", "[server] test_routes");
    SET_FAILS(&c, "server", "test_routes", "truee", "[server] test_routes");
    SET_FAILS(&c, "server", "test_routes", "y", "[server] test_routes");
    CU_ASSERT_EQUAL(c.test_routes, 0); /* a refused value changes nothing */
}

static void test_integers(void)
{
    struct config c;
    config_defaults(&c);
    SET_OK(&c, "server", "workers", "1");
    CU_ASSERT_EQUAL(c.workers, 1);
    SET_OK(&c, "server", "workers", "256");
    CU_ASSERT_EQUAL(c.workers, 256);
    SET_FAILS(&c, "server", "workers", "0", "[server] workers: \"0\" is not an integer");
    SET_FAILS(&c, "server", "workers", "257", "1..256");
    SET_FAILS(&c, "server", "workers", "-1", "[server] workers");
    SET_FAILS(&c, "server", "workers", "+4", "[server] workers");
    SET_FAILS(&c, "server", "workers", " 4", "[server] workers");
    SET_FAILS(&c, "server", "workers", "4x", "[server] workers");
    SET_FAILS(&c, "server", "workers", "4k", "[server] workers"); /* no suffix on counts */
    SET_FAILS(&c, "server", "workers", "0x10", "[server] workers");
    SET_FAILS(&c, "server", "workers", "", "[server] workers");
    SET_FAILS(&c, "server", "workers", "4294967300", "[server] workers"); /* past UINT_MAX */
    SET_FAILS(&c, "server", "workers", "99999999999999999999999", "[server] workers");
    CU_ASSERT_EQUAL(c.workers, 256);           /* still the last good value */
    SET_OK(&c, "server", "max_requests", "0"); /* 0 = never recycle */
    CU_ASSERT_EQUAL(c.max_requests, 0);
    SET_OK(&c, "database", "port", "65535");
    CU_ASSERT_EQUAL(c.db_port, 65535);
    SET_FAILS(&c, "database", "port", "65536", "[database] port");
    SET_FAILS(&c, "database", "port", "0", "[database] port");
    SET_FAILS(&c, "server", "request_timeout", "3601", "[server] request_timeout");
    SET_FAILS(&c, "auth", "scrypt_p", "17", "[auth] scrypt_p");
    SET_FAILS(&c, "auth", "password_min", "7", "[auth] password_min");
}

static void test_sizes(void)
{
    struct config c;
    config_defaults(&c);
    SET_OK(&c, "server", "body_limit", "64k");
    CU_ASSERT_EQUAL(c.body_limit, 65536);
    SET_OK(&c, "server", "body_limit", "2K");
    CU_ASSERT_EQUAL(c.body_limit, 2048);
    SET_OK(&c, "server", "body_limit", "1M");
    CU_ASSERT_EQUAL(c.body_limit, 1048576);
    SET_OK(&c, "server", "body_limit", "1g");
    CU_ASSERT_EQUAL(c.body_limit, 1073741824);
    SET_OK(&c, "server", "body_limit", "1024");
    CU_ASSERT_EQUAL(c.body_limit, 1024);
    SET_FAILS(&c, "server", "body_limit", "1023", "[server] body_limit: \"1023\" is not a byte");
    SET_FAILS(&c, "server", "body_limit", "2G", "[server] body_limit");
    SET_FAILS(&c, "server", "body_limit", "1T", "[server] body_limit");
    SET_FAILS(&c, "server", "body_limit", "1kb", "[server] body_limit");
    SET_FAILS(&c, "server", "body_limit", "k", "[server] body_limit");
    SET_FAILS(&c, "server", "body_limit", "-1k", "[server] body_limit");
    SET_FAILS(&c, "server", "body_limit", "18446744073709551615k", "[server] body_limit");
    CU_ASSERT_EQUAL(c.body_limit, 1024);
    SET_OK(&c, "server", "memory_limit", "256M");
    CU_ASSERT_EQUAL(c.memory_limit, 268435456);
    SET_OK(&c, "auth", "scrypt_n", "1M");
    CU_ASSERT_EQUAL(c.scrypt_n, 1048576);
    SET_FAILS(&c, "auth", "scrypt_n", "2M", "[auth] scrypt_n");
    SET_FAILS(&c, "auth", "scrypt_n", "512", "[auth] scrypt_n");
}

static void test_mode_and_level(void)
{
    struct config c;
    config_defaults(&c);
    SET_OK(&c, "server", "listen_mode", "0600");
    CU_ASSERT_EQUAL(c.listen_mode, 0600);
    SET_OK(&c, "server", "listen_mode", "660"); /* always octal */
    CU_ASSERT_EQUAL(c.listen_mode, 0660);
    SET_OK(&c, "server", "listen_mode", "0777");
    CU_ASSERT_EQUAL(c.listen_mode, 0777);
    SET_FAILS(&c, "server", "listen_mode", "01000", "[server] listen_mode");
    SET_FAILS(&c, "server", "listen_mode", "0999", "octal mode");
    SET_FAILS(&c, "server", "listen_mode", "8", "[server] listen_mode");
    SET_FAILS(&c, "server", "listen_mode", "-1", "[server] listen_mode");
    SET_FAILS(&c, "server", "listen_mode", "rw-rw----", "[server] listen_mode");
    SET_FAILS(&c, "server", "listen_mode", "", "[server] listen_mode");
    CU_ASSERT_EQUAL(c.listen_mode, 0777);

    static const char *const names[] = {"debug", "INFO", "Warn", "error"};
    for (size_t i = 0; i < 4; i++) {
        SET_OK(&c, "log", "level", names[i]);
        CU_ASSERT_EQUAL(c.log_level, (enum log_level)i);
    }
    SET_FAILS(&c, "log", "level", "verbose", "[log] level: \"verbose\" is not debug");
    SET_FAILS(&c, "log", "level", "", "[log] level");
    CU_ASSERT_EQUAL(c.log_level, LOG_ERROR);
}

static void test_strings(void)
{
    struct config c;
    config_defaults(&c);
    char s63[64], s64[65], big[1100];
    memset(s63, 'u', 63);
    s63[63] = '\0';
    memset(s64, 'u', 64);
    s64[64] = '\0';
    SET_OK(&c, "server", "listen_owner", "www-data");
    SET_FAILS(&c, "server", "listen_owner", s64, "[server] listen_owner: longer than 63 bytes");
    UNIT_ASSERT_STR(c.listen_owner, "www-data"); /* never silently truncated */
    SET_OK(&c, "server", "listen_owner", s63);
    UNIT_ASSERT_STR(c.listen_owner, s63);
    memset(big, 'o', 1023);
    big[1023] = '\0';
    SET_OK(&c, "security", "allowed_origins", big);
    CU_ASSERT_EQUAL(strlen(c.allowed_origins), 1023);
    big[1023] = 'o';
    big[1024] = '\0';
    SET_FAILS(&c, "security", "allowed_origins", big, "longer than 1023 bytes");
    SET_OK(&c, "database", "password", "");
    UNIT_ASSERT_STR(c.db_password, "");
}

static void test_unknown_names(void)
{
    struct config c;
    config_defaults(&c);
    SET_FAILS(&c, "server", "wokers", "4", "[server] wokers: unknown key");
    SET_FAILS(&c, "srever", "workers", "4", "[srever]: unknown section (key workers)");
    SET_FAILS(&c, "database", "workers", "4", "[database] workers: unknown key");
    SET_FAILS(&c, "Server", "workers", "4", "unknown section"); /* names are exact */
    SET_FAILS(&c, "server", "Workers", "4", "unknown key");
    SET_FAILS(&c, "", "workers", "4", "unknown section");
    CU_ASSERT_EQUAL(c.workers, 4);
}

static void test_load_errors_name_file_and_line(void)
{
    LOAD_FAILS("[server]\nworkers = 0\n", "t.conf:2: [server] workers: \"0\"");
    LOAD_FAILS("; c\n\n[server]\n# c\n\nwokers = 4\n", "t.conf:6: [server] wokers: unknown key");
    LOAD_FAILS("[srever]\nworkers = 4\n", "t.conf:2: [srever]: unknown section");
    LOAD_FAILS("workers = 4\n", "t.conf:1: []: unknown section");
    LOAD_FAILS("[server]\nworkers\n", "t.conf:2: syntax error");
    LOAD_FAILS("[server\n", "t.conf:1: syntax error");
    LOAD_FAILS("[server]\n\n= 4\n", "t.conf:3: [server] : unknown key");
    LOAD_FAILS("[log]\nlevel = loud\n", "t.conf:2: [log] level");
    LOAD_FAILS("[server]\nbody_limit = 5T\n", "t.conf:2: [server] body_limit");
    LOAD_FAILS("[server]\r\n\r\ntrust_forwarded = perhaps\r\n",
               "t.conf:3: [server] trust_forwarded");
    /* the first error is the one reported */
    LOAD_FAILS("[server]\nworkers = 0\nwokers = 1\n", "t.conf:2: [server] workers");
    LOAD_FAILS("[server]\nworkers = 2\n[nope]\na = 1\n[server]\nworkers = 0\n",
               "t.conf:4: [nope]: unknown section (key a)");
    /* relations have no single line, but still name the file and the key */
    LOAD_FAILS("[auth]\npassword_min = 20\npassword_max = 16\n", "t.conf: [auth] password_min");
    /* a value its key's own check refuses names its line (listen did not) */
    LOAD_FAILS("[server]\nlisten = :9000\n", "t.conf:2: [server] listen");
    LOAD_FAILS("[security]\n\nmetrics_allow = 127.0.0.1, banana\n",
               "t.conf:3: [security] metrics_allow: \"banana\" is not an address");
    LOAD_FAILS("[server]\ntrusted_proxies = 10.0.0.0/33\n", "t.conf:2: [server] trusted_proxies");
    LOAD_FAILS("[media]\nsizes = 1200,1200\n", "t.conf:2: [media] sizes");
}

static void test_listen(void)
{
    LISTEN_OK("unix:var/run/recipebox.sock");
    LISTEN_OK("unix:/run/recipebox/rb.sock");
    LISTEN_OK("127.0.0.1:9000");
    LISTEN_OK("[::1]:9000");
    LISTEN_OK("0.0.0.0:9000"); /* every interface, but said explicitly */
    LISTEN_OK("127.0.0.1:1");
    LISTEN_OK("127.0.0.1:65535");
    /* a bare port binds every interface (docs/pitfalls.md, libfcgi) */
    LISTEN_REFUSED(":9000");
    LISTEN_REFUSED("9000");
    LISTEN_REFUSED("localhost");
    LISTEN_REFUSED("");
    LISTEN_REFUSED("127.0.0.1:");
    LISTEN_REFUSED("127.0.0.1:0");
    LISTEN_REFUSED("127.0.0.1:65536");
    LISTEN_REFUSED("127.0.0.1:90x");
    LISTEN_REFUSED("127.0.0.1:-1");
    LISTEN_REFUSED("127.0.0.1:+9000");
    LISTEN_REFUSED("unix:");
    char err[CONFIG_ERR];
    CU_ASSERT_FALSE(listen_valid(":9000", err, sizeof(err)));
    UNIT_ASSERT_HAS(err, "every interface");
    CU_ASSERT_FALSE(listen_valid("unix:", err, sizeof(err)));
    UNIT_ASSERT_HAS(err, "needs a path");
    /* sun_path holds 108 bytes with the NUL */
    char path[5 + 109] = "unix:";
    memset(path + 5, 'p', 107);
    path[5 + 107] = '\0';
    LISTEN_OK(path);
    path[5 + 107] = 'p';
    path[5 + 108] = '\0';
    LISTEN_REFUSED(path);
}

static int validate_fails(const struct config *c, const char *needle)
{
    char err[CONFIG_ERR] = "";
    if (config_validate(c, err, sizeof(err)) == 0) {
        fprintf(stderr, "\n    validated, wanted \"%s\"\n", needle);
        return 0;
    }
    if (strstr(err, needle) != NULL)
        return 1;
    fprintf(stderr, "\n    \"%s\" not in \"%s\"\n", needle, err);
    return 0;
}

#define VALIDATE_FAILS(c, needle)                                                                  \
    UNIT_CHECK_AT(validate_fails(c, needle), __LINE__, "validate_fails(" #needle ")")

static void test_validate_relations(void)
{
    struct config c;
    char err[CONFIG_ERR];
    config_defaults(&c);
    c.memory_limit = 32ULL << 20;
    VALIDATE_FAILS(&c, "[server] memory_limit");
    c.memory_limit = 64ULL << 20;
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);
    c.memory_limit = 0;
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);

    c.scrypt_n = 3000;
    VALIDATE_FAILS(&c, "[auth] scrypt_n: 3000 is not a power of two");
    c.scrypt_n = 16384;
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);

    c.password_min = 20;
    c.password_max = 16;
    VALIDATE_FAILS(&c, "[auth] password_min");
    c.password_max = 20;
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);

    c.session_idle = 100;
    c.session_absolute = 99;
    VALIDATE_FAILS(&c, "[auth] session_idle");
    c.session_absolute = 100;
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);

    snprintf(c.metrics_allow, sizeof(c.metrics_allow), "127.0.0.1, 10.0.0.0/33");
    VALIDATE_FAILS(&c, "[security] metrics_allow: \"10.0.0.0/33\"");
    snprintf(c.metrics_allow, sizeof(c.metrics_allow), "%s", "");
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0); /* empty: nobody */

    snprintf(c.trusted_proxies, sizeof(c.trusted_proxies), "127.0.0.1 proxy.local");
    VALIDATE_FAILS(&c, "[server] trusted_proxies: \"proxy.local\"");
    snprintf(c.trusted_proxies, sizeof(c.trusted_proxies), "10.0.0.0/8");

    c.db_host[0] = '\0';
    c.db_socket[0] = '\0';
    VALIDATE_FAILS(&c, "[database] socket or host");
    snprintf(c.db_socket, sizeof(c.db_socket), "/run/mysqld/mysqld.sock");
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);

    /* statement limits stop work before the watchdog kills the worker */
    c.request_timeout = 5;
    VALIDATE_FAILS(&c, "below [server] request_timeout"); /* statement 5000 ms */
    c.db_statement_ms = 4000;
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);
    c.request_timeout = 2;
    VALIDATE_FAILS(&c, "below [server] request_timeout"); /* search 2000 ms */
    c.db_statement_ms = 1000;
    c.db_search_ms = 1999;
    CU_ASSERT_EQUAL(config_validate(&c, err, sizeof(err)), 0);
}

/* Sets or unsets an environment variable; value NULL unsets. */
static void env_put(const char *name, const char *value)
{
    if (value != NULL)
        setenv(name, value, 1);
    else
        unsetenv(name);
}

static void test_env_password(void)
{
    char saved_pw[CONFIG_STR] = "", saved_mpw[CONFIG_STR] = "";
    const char *pw0 = getenv("RECIPEBOX_DB_PASSWORD");
    const char *mpw0 = getenv("RECIPEBOX_DB_MIGRATE_PASSWORD");
    if (pw0 != NULL)
        snprintf(saved_pw, sizeof(saved_pw), "%s", pw0);
    if (mpw0 != NULL)
        snprintf(saved_mpw, sizeof(saved_mpw), "%s", mpw0);
    int had_pw = pw0 != NULL, had_mpw = mpw0 != NULL;

    struct config c;
    char err[CONFIG_ERR] = "";
    const char *text = "[database]\npassword = from-file\nmigrate_password = m-file\n";
    unsetenv("RECIPEBOX_DB_PASSWORD");
    unsetenv("RECIPEBOX_DB_MIGRATE_PASSWORD");
    CU_ASSERT_EQUAL(config_load_string(&c, text, "t.conf", err, sizeof(err)), 0);
    UNIT_ASSERT_STR(c.db_password, "from-file");
    UNIT_ASSERT_STR(c.db_migrate_password, "m-file");

    setenv("RECIPEBOX_DB_PASSWORD", "from-env", 1);
    CU_ASSERT_EQUAL(config_load_string(&c, text, "t.conf", err, sizeof(err)), 0);
    UNIT_ASSERT_STR(c.db_password, "from-env"); /* the environment wins over the file */
    UNIT_ASSERT_STR(c.db_migrate_password, "m-file");
    CU_ASSERT_EQUAL(config_load_string(&c, "", "t.conf", err, sizeof(err)), 0);
    UNIT_ASSERT_STR(c.db_password, "from-env"); /* also when the file has none */

    setenv("RECIPEBOX_DB_MIGRATE_PASSWORD", "m-env", 1);
    CU_ASSERT_EQUAL(config_load_string(&c, text, "t.conf", err, sizeof(err)), 0);
    UNIT_ASSERT_STR(c.db_migrate_password, "m-env");

    unsetenv("RECIPEBOX_DB_PASSWORD");
    unsetenv("RECIPEBOX_DB_MIGRATE_PASSWORD");
    CU_ASSERT_EQUAL(config_load_string(&c, text, "t.conf", err, sizeof(err)), 0);
    UNIT_ASSERT_STR(c.db_password, "from-file");

    env_put("RECIPEBOX_DB_PASSWORD", had_pw ? saved_pw : NULL);
    env_put("RECIPEBOX_DB_MIGRATE_PASSWORD", had_mpw ? saved_mpw : NULL);
}

/* Writes text to a new temporary file; its name goes to path. 0 or -1. */
static int write_temp(char *path, size_t size, const char *text)
{
    snprintf(path, size, "/tmp/rb-unit-config.XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0)
        return -1;
    size_t n = strlen(text);
    ssize_t w = write(fd, text, n);
    close(fd);
    return w == (ssize_t)n ? 0 : -1;
}

static void test_load_file(void)
{
    struct config c;
    char err[CONFIG_ERR] = "", path[64], want[128];
    CU_ASSERT_EQUAL_FATAL(write_temp(path, sizeof(path), "[server]\nworkers = 6\n"), 0);
    CU_ASSERT_EQUAL(config_load(&c, path, err, sizeof(err)), 0);
    CU_ASSERT_EQUAL(c.workers, 6);
    UNIT_ASSERT_STR(c.path, path);
    unlink(path);

    CU_ASSERT_EQUAL_FATAL(write_temp(path, sizeof(path), "[server]\n\n\nworkers = 999\n"), 0);
    CU_ASSERT_EQUAL(config_load(&c, path, err, sizeof(err)), -1);
    snprintf(want, sizeof(want), "%s:4: [server] workers: \"999\"", path);
    UNIT_ASSERT_HAS(err, want);
    CU_ASSERT_EQUAL(strncmp(err, path, strlen(path)), 0);
    unlink(path);

    CU_ASSERT_EQUAL(config_load(&c, "/nonexistent/rb.conf", err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, "/nonexistent/rb.conf: cannot read");

    /* a short err buffer is still a terminated string */
    char tiny[8];
    CU_ASSERT_EQUAL(config_load_string(&c, "[server]\nworkers = 0\n", "t.conf", tiny, sizeof(tiny)),
                    -1);
    CU_ASSERT_EQUAL(strlen(tiny), 7);
}

/* Regression (fixed in 741005a): inih (Debian build) reads at most 199 bytes
 * per line and parsed the rest of a longer line as a line of its own, so a
 * long allowed_origins value was cut and its tail read as another key (or
 * as a directive: test_routes below). The loader must either take the whole
 * value or refuse the line it is on (line 2). */
static void test_long_line(void)
{
    struct config c;
    char err[CONFIG_ERR] = "", value[400] = "", text[600];
    for (int i = 0; i < 15; i++) /* 270 bytes */
        memcpy(value + 18 * i, "https://a.example,", 19);
    snprintf(text, sizeof(text), "[security]\nallowed_origins = %s\n", value);
    int rc = config_load_string(&c, text, "t.conf", err, sizeof(err));
    if (rc == 0)
        UNIT_ASSERT_STR(c.allowed_origins, value);
    else
        UNIT_ASSERT_HAS(err, "t.conf:2:");

    /* the tail of a long line must never act as a directive of its own */
    char line[200];
    snprintf(line, sizeof(line), "%-199s", "trusted_proxies = 127.0.0.1");
    snprintf(text, sizeof(text), "[server]\n%stest_routes = true\n", line);
    rc = config_load_string(&c, text, "t.conf", err, sizeof(err));
    CU_ASSERT_FALSE(rc == 0 && c.test_routes == 1);
}

/* Loads text that must fail; 1 when err holds one of the two messages
 * (either reading is right), else prints err and returns 0. */
static int fails_with_either(const char *text, const char *a, const char *b)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    if (config_load_string(&c, text, "t.conf", err, sizeof(err)) == 0) {
        fprintf(stderr, "\n    accepted: %s\n", text);
        return 0;
    }
    if (strstr(err, a) != NULL || strstr(err, b) != NULL)
        return 1;
    fprintf(stderr, "\n    line and message disagree: %s\n", err);
    return 0;
}

#define FAILS_WITH_EITHER(text, a, b)                                                              \
    UNIT_CHECK_AT(fails_with_either(text, a, b), __LINE__, "fails_with_either(" #text ")")

/* Regression (fixed in 741005a for the common cases): when inih finds a
 * syntax error before a refused value, finish_load paired inih's line number
 * with the other line's key and reason. Still open: the pre-scan does not
 * know inih's inline comments (" ;" ends a line's text), so a line that only
 * has its '=' or ']' after " ;" passes the pre-scan, fails in inih, and the
 * report names that line with a later line's message. */
static void test_error_line_matches_message(void)
{
    FAILS_WITH_EITHER("garbage\n[server]\nworkers = 0\n", "t.conf:1: syntax error",
                      "t.conf:3: [server] workers");
    FAILS_WITH_EITHER("[server\nworkers = 4\n", "t.conf:1: syntax error",
                      "t.conf:2: []: unknown section");
    /* inih reads "workers ;= 4" as "workers" (no '='): a syntax error on 2 */
    FAILS_WITH_EITHER("[server]\nworkers ;= 4\nworkers = 0\n", "t.conf:2: syntax error",
                      "t.conf:3: [server] workers");
    /* inih reads "[server ;]" as "[server" (no ']'): a syntax error on 1 */
    FAILS_WITH_EITHER("[server ;]\nworkers = 0\n", "t.conf:1: syntax error",
                      "t.conf:2: []: unknown section");
}

/* Loads "[server]\nlisten_owner = www-data\n" PREFIX "workers = 8\n": either
 * line 3 is read as the key it names, or it is refused. 1 when so. */
static int indented_ok(const char *prefix)
{
    struct config c;
    char err[CONFIG_ERR] = "", text[128];
    snprintf(text, sizeof(text), "[server]\nlisten_owner = www-data\n%sworkers = 8\n", prefix);
    int rc = config_load_string(&c, text, "t.conf", err, sizeof(err));
    if (rc == 0 && strcmp(c.listen_owner, "www-data") == 0 && c.workers == 8)
        return 1;
    if (rc != 0 && strstr(err, "t.conf:3:") != NULL)
        return 1;
    fprintf(stderr, "\n    prefix %d bytes (0x%02x): rc %d, listen_owner \"%s\", workers %u, %s\n",
            (int)strlen(prefix), (unsigned char)prefix[0], rc, c.listen_owner, c.workers, err);
    return 0;
}

#define INDENTED_OK(prefix) UNIT_CHECK_AT(indented_ok(prefix), __LINE__, "indented_ok(" #prefix ")")

/* inih (built with INI_ALLOW_MULTILINE) treats a line that starts with any
 * isspace() byte as a continuation of the previous key, and config.c sets
 * that key again with the whole line as its value ("workers = 8" became
 * listen_owner). 741005a refuses lines indented with ' ' or '\t'.
 * BUG, still open: a line starting with '\v', '\f' or '\r' (a stray CR, e.g.
 * "\r\t") passes the pre-scan and is still joined to the previous key. */
static void test_indented_line(void)
{
    INDENTED_OK("  ");
    INDENTED_OK("\t");
    INDENTED_OK("\v");
    INDENTED_OK("\f");
    INDENTED_OK("\r");
    INDENTED_OK("\r\t");
}

/* BUG: a file with classic Mac line endings (CR only) is one line to the
 * pre-scan and to inih: "[server]\rlisten_owner = ...\r..." sets the
 * section and silently ignores the rest, so the load succeeds with the
 * defaults. It must either read the keys or be refused. */
static void test_cr_only_line_endings(void)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    int rc = config_load_string(&c, "[server]\rlisten_owner = www-data\rworkers = 8\r", "t.conf",
                                err, sizeof(err));
    if (rc == 0) {
        UNIT_ASSERT_STR(c.listen_owner, "www-data");
        CU_ASSERT_EQUAL(c.workers, 8);
    } else {
        UNIT_ASSERT_HAS(err, "t.conf:1:");
    }
}

/* BUG (regression from the pre-scan in 741005a): a UTF-8 byte order mark,
 * which inih skips (INI_ALLOW_BOM) and Windows editors write, makes the first
 * line "\xEF\xBB\xBF[server]" look like neither a section nor a key, so the
 * file is refused with "t.conf:1: syntax error". It loaded before. */
static void test_utf8_bom(void)
{
    struct config c;
    char err[CONFIG_ERR] = "";
    int rc =
        config_load_string(&c, "\xEF\xBB\xBF[server]\nworkers = 5\n", "t.conf", err, sizeof(err));
    if (rc != 0)
        fprintf(stderr, "\n    %s\n", err);
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(c.workers, 5);
}

/* BUG: conf/recipebox.conf.example (and pool_listen, which passes
 * AI_NUMERICHOST to getaddrinfo) require a numeric host in HOST:PORT, but
 * config_validate accepts any text before the last ':'. So check-config says
 * "ok" for "localhost:9000" or "*:9000" and serve then refuses to start. */
static void test_listen_numeric_host(void)
{
    LISTEN_REFUSED("localhost:9000");
    LISTEN_REFUSED("*:9000");
    LISTEN_REFUSED("::9000"); /* host ":" */
    LISTEN_REFUSED("[localhost]:9000");
    LISTEN_OK("[::]:9000"); /* numeric, explicit */
}

/* Regression (fixed in 741005a): config_load on a directory succeeded with
 * the built-in defaults (fopen works on a directory, the first read fails
 * with EISDIR and inih reported no error), so "serve -c /etc/recipebox" ran
 * unconfigured. */
static void test_load_directory(void)
{
    char dir[] = "/tmp/rb-unit-confdir.XXXXXX";
    CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
    struct config c;
    char err[CONFIG_ERR] = "";
    CU_ASSERT_EQUAL(config_load(&c, dir, err, sizeof(err)), -1);
    UNIT_ASSERT_HAS(err, dir);
    rmdir(dir);
}

/* Strings with a check of their own (listen, address lists, media sizes) are
 * refused at config_set, unchanged, and again by config_validate when set
 * in code. */
static void test_checked_strings(void)
{
    struct config c;
    config_defaults(&c);
    SET_FAILS(&c, "server", "listen", "9000", "[server] listen: \"9000\" must be unix:PATH");
    SET_FAILS(&c, "server", "listen", "localhost:9000", "[server] listen");
    UNIT_ASSERT_STR(c.listen, "unix:var/run/recipebox.sock");
    SET_OK(&c, "server", "listen", "[::1]:9000");
    UNIT_ASSERT_STR(c.listen, "[::1]:9000");
    SET_FAILS(&c, "server", "trusted_proxies", "10.0.0.1, proxy", "\"proxy\" is not an address");
    SET_FAILS(&c, "security", "metrics_allow", "::1/129", "[security] metrics_allow");
    UNIT_ASSERT_STR(c.metrics_allow, "127.0.0.1, ::1");
    SET_OK(&c, "security", "metrics_allow", "");
    SET_FAILS(&c, "media", "sizes", "10", "[media] sizes: \"10\" is not 1 to 4");
    SET_FAILS(&c, "media", "sizes", "", "[media] sizes");
    SET_FAILS(&c, "media", "sizes", "100,200,300,400,500", "[media] sizes");
    UNIT_ASSERT_STR(c.media_sizes, "1200,400");
    SET_OK(&c, "media", "sizes", "400, 1600");
    UNIT_ASSERT_STR(c.media_sizes, "400, 1600");

    snprintf(c.media_sizes, sizeof(c.media_sizes), "%s", "1200,abc");
    VALIDATE_FAILS(&c, "[media] sizes: \"1200,abc\"");
}

/* One key line of the example: its section, name and value, and the
 * comment lines right above it joined by single spaces. */
struct example_key {
    char section[32];
    char name[64];
    char value[200];
    char comment[1024];
};

#define EXAMPLE_PATH "conf/recipebox.conf.example"
#define EXAMPLE_MAX 256

/* Copies s[0..n) without its surrounding white space into dst. */
static void copy_trimmed(char *dst, size_t size, const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    snprintf(dst, size, "%.*s", (int)n, s);
}

/* Appends one comment line's text (after its ';' or '#') to block. */
static void comment_append(char *block, size_t size, const char *text)
{
    char t[512];
    copy_trimmed(t, sizeof(t), text, strlen(text));
    size_t used = strlen(block);
    if (t[0] != '\0')
        snprintf(block + used, size - used, "%s%s", used > 0 ? " " : "", t);
}

/* Reads the example's key lines into keys: a comment block belongs to the
 * key line right below it; a blank line or a section header ends it. The
 * count, or -1 when the file cannot be read or holds more than max keys. */
static int example_read(const char *path, struct example_key *keys, int max)
{
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    char line[512], section[32] = "", comment[1024] = "";
    int n = 0;
    while (fgets(line, sizeof(line), f) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == ';' || line[0] == '#') {
            comment_append(comment, sizeof(comment), line + 1);
            continue;
        }
        if (line[0] == '[') {
            copy_trimmed(section, sizeof(section), line + 1, strcspn(line + 1, "]"));
        } else if (line[0] != '\0') {
            if (n == max) {
                fclose(f);
                return -1;
            }
            struct example_key *k = &keys[n++];
            size_t eq = strcspn(line, "=");
            const char *value = line + eq + (line[eq] == '=');
            snprintf(k->section, sizeof(k->section), "%s", section);
            copy_trimmed(k->name, sizeof(k->name), line, eq);
            copy_trimmed(k->value, sizeof(k->value), value, strlen(value));
            snprintf(k->comment, sizeof(k->comment), "%s", comment);
        }
        comment[0] = '\0';
    }
    fclose(f);
    return n;
}

/* 1 when the example lists key k once, with the table's default, under a
 * comment starting with the table's doc; else prints why and returns 0. */
static int example_documents(const struct example_key *ex, int n, const struct config_key_doc *k)
{
    const struct example_key *found = NULL;
    int times = 0;
    for (int i = 0; i < n; i++)
        if (strcmp(ex[i].section, k->section) == 0 && strcmp(ex[i].name, k->name) == 0)
            found = &ex[i], times++;
    if (times != 1) {
        fprintf(stderr, "\n    [%s] %s: listed %d times in " EXAMPLE_PATH "\n", k->section, k->name,
                times);
        return 0;
    }
    if (strcmp(found->value, k->def) != 0) {
        fprintf(stderr, "\n    [%s] %s: example says \"%s\", the default is \"%s\"\n", k->section,
                k->name, found->value, k->def);
        return 0;
    }
    if (k->doc[0] == '\0' || strncmp(found->comment, k->doc, strlen(k->doc)) != 0) {
        fprintf(stderr, "\n    [%s] %s: comment \"%s\" does not start with \"%s\"\n", k->section,
                k->name, found->comment, k->doc);
        return 0;
    }
    return 1;
}

/* 1 when the table has [section] name; else prints it and returns 0. */
static int table_has(const struct example_key *e)
{
    for (size_t i = 0; i < config_key_count(); i++) {
        const struct config_key_doc *k = config_key_at(i);
        if (strcmp(k->section, e->section) == 0 && strcmp(k->name, e->name) == 0)
            return 1;
    }
    fprintf(stderr, "\n    [%s] %s: in " EXAMPLE_PATH ", not in the key table\n", e->section,
            e->name);
    return 0;
}

#ifndef RB_PREFIX
#define RB_PREFIX "/usr/local"
#endif

/* The example names /usr/local; a build for another PREFIX has its default
 * paths there, and `make install` rewrites the installed example the same
 * way. So the example as installed: a copy with /usr/local replaced by
 * RB_PREFIX (the file itself when they are equal). 0/-1. */
static int example_installed(char *path, size_t len)
{
    if (strcmp(RB_PREFIX, "/usr/local") == 0)
        return snprintf(path, len, "%s", EXAMPLE_PATH) > 0 ? 0 : -1;
    snprintf(path, len, "/tmp/rb-example-XXXXXX");
    int fd = mkstemp(path);
    FILE *in = fopen(EXAMPLE_PATH, "r"), *out = fd >= 0 ? fdopen(fd, "w") : NULL;
    char line[512];
    while (in != NULL && out != NULL && fgets(line, sizeof(line), in) != NULL) {
        const char *at = strstr(line, "/usr/local");
        if (at != NULL)
            fprintf(out, "%.*s%s%s", (int)(at - line), line, RB_PREFIX, at + 10);
        else
            fputs(line, out);
    }
    int bad = in == NULL || out == NULL;
    if (in != NULL)
        fclose(in);
    if (out != NULL && fclose(out) != 0)
        bad = 1;
    return bad ? -1 : 0;
}

/* The example lists exactly the table's keys, each once, with the table's
 * default and description; loading it gives exactly the built-in defaults. */
static void test_example_matches_table(void)
{
    static struct example_key ex[EXAMPLE_MAX];
    char path[64];
    CU_ASSERT_EQUAL_FATAL(example_installed(path, sizeof(path)), 0);
    int n = example_read(path, ex, EXAMPLE_MAX);
    CU_ASSERT_FATAL(n > 0);
    size_t count = config_key_count();
    CU_ASSERT_EQUAL(n, (int)count);
    CU_ASSERT_PTR_NULL(config_key_at(count));
    for (size_t i = 0; i < count; i++) {
        const struct config_key_doc *k = config_key_at(i);
        CU_ASSERT_PTR_NOT_NULL_FATAL(k);
        UNIT_CHECK_AT(example_documents(ex, n, k), __LINE__, "example_documents(table key)");
        for (size_t j = 0; j < i; j++) /* config_set would only ever reach the first */
            CU_ASSERT_FALSE(strcmp(config_key_at(j)->section, k->section) == 0 &&
                            strcmp(config_key_at(j)->name, k->name) == 0);
    }
    for (int i = 0; i < n; i++)
        UNIT_CHECK_AT(table_has(&ex[i]), __LINE__, "table_has(example key)");

    /* the file loads, and its values are the defaults (passwords aside:
     * the environment may set them) */
    struct config loaded, defaults;
    char err[CONFIG_ERR] = "";
    int rc = config_load(&loaded, path, err, sizeof(err));
    if (strcmp(path, EXAMPLE_PATH) != 0)
        unlink(path);
    if (rc != 0)
        fprintf(stderr, "\n    %s\n", err);
    CU_ASSERT_EQUAL_FATAL(rc, 0);
    config_defaults(&defaults);
    memcpy(defaults.path, loaded.path, sizeof(defaults.path));
    memset(loaded.db_password, 0, sizeof(loaded.db_password));
    memset(loaded.db_migrate_password, 0, sizeof(loaded.db_migrate_password));
    CU_ASSERT_EQUAL(memcmp(&loaded, &defaults, sizeof(loaded)), 0);
}

int unit_config_register(void)
{
    CU_pSuite s = CU_add_suite("config", NULL, NULL);
    if (s == NULL || !CU_add_test(s, "defaults are the documented ones", test_defaults) ||
        !CU_add_test(s, "a file sets every kind of key", test_load_string_values) ||
        !CU_add_test(s, "booleans", test_booleans) ||
        !CU_add_test(s, "integers and their ranges", test_integers) ||
        !CU_add_test(s, "byte sizes with K/M/G", test_sizes) ||
        !CU_add_test(s, "octal modes and log levels", test_mode_and_level) ||
        !CU_add_test(s, "strings are never truncated", test_strings) ||
        !CU_add_test(s, "unknown sections and keys are errors", test_unknown_names) ||
        !CU_add_test(s, "errors name file:line and [section] key",
                     test_load_errors_name_file_and_line) ||
        !CU_add_test(s, "listen: unix:PATH or HOST:PORT, never a bare port", test_listen) ||
        !CU_add_test(s, "relations between keys", test_validate_relations) ||
        !CU_add_test(s, "RECIPEBOX_DB_PASSWORD overrides the file", test_env_password) ||
        !CU_add_test(s, "config_load reads a file", test_load_file) ||
        !CU_add_test(s, "a line longer than inih's buffer", test_long_line) ||
        !CU_add_test(s, "the line number matches the message", test_error_line_matches_message) ||
        !CU_add_test(s, "an indented key line", test_indented_line) ||
        !CU_add_test(s, "a directory is not a config file", test_load_directory) ||
        !CU_add_test(s, "CR-only line endings", test_cr_only_line_endings) ||
        !CU_add_test(s, "a UTF-8 byte order mark", test_utf8_bom) ||
        !CU_add_test(s, "listen needs a numeric host", test_listen_numeric_host) ||
        !CU_add_test(s, "checked strings are refused where they are set", test_checked_strings) ||
        !CU_add_test(s, "the example file lists the key table", test_example_matches_table))
        return -1;
    return 0;
}
