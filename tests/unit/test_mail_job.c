/* Unit tests for the mail job function (api/mail_job.c) through the file
 * transport into a temporary directory: every payload error is permanent
 * (2), a template directory that cannot be read is temporary (1), and a
 * good payload writes one message with the link under public_url. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/mail_job.h"
#include "base/config.h"
#include "base/log.h"
#include "lib/file.h"
#include "unit.h"

static struct config cfg;
static char dir[64];

static int setup(void)
{
    config_defaults(&cfg);
    snprintf(dir, sizeof(dir), "/tmp/rbmailjob.XXXXXX");
    if (mkdtemp(dir) == NULL)
        return -1;
    snprintf(cfg.mail_transport, sizeof(cfg.mail_transport), "file");
    snprintf(cfg.mail_file_dir, sizeof(cfg.mail_file_dir), "%s", dir);
    snprintf(cfg.mail_templates, sizeof(cfg.mail_templates), "conf/mail");
    snprintf(cfg.public_url, sizeof(cfg.public_url), "https://recipes.example.org");
    log_open("/dev/null", LOG_ERROR);
    return 0;
}

/* Removes the files written so far; their count. */
static int drain(char *last, size_t lastlen)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    char path[sizeof(dir) + 260];
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
        char *text = NULL;
        size_t len;
        char err[256];
        if (last != NULL && file_read_all(path, 1 << 20, &text, &len, err, sizeof(err)) == 0)
            snprintf(last, lastlen, "%s", text);
        free(text);
        unlink(path);
        n++;
    }
    if (d != NULL)
        closedir(d);
    return n;
}

static int teardown(void)
{
    drain(NULL, 0);
    rmdir(dir);
    log_close();
    log_open("-", LOG_INFO); /* as the other suites expect it */
    return 0;
}

static void test_payload_errors_are_permanent(void)
{
    static const char *const bad[] = {
        "",
        "{",
        "[]",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\"} x",
        "{\"to\":\"a@b.example\"}",
        "{\"template\":\"nope\",\"to\":\"a@b.example\"}",
        "{\"template\":\"password_reset\"}",
        "{\"template\":\"password_reset\",\"to\":7}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\",\"bcc\":\"x@y.example\"}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\\r\\nBcc: x@y.example\","
        "\"vars\":{\"username\":\"u\",\"link\":\"/r\"}}",
        "{\"template\":\"password_reset\",\"to\":\"not an address\","
        "\"vars\":{\"username\":\"u\",\"link\":\"/r\"}}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\",\"vars\":[]}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\",\"vars\":{\"username\":1}}",
        /* a var the template does not take, one set by the mailer, none for a placeholder */
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\","
        "\"vars\":{\"username\":\"u\",\"link\":\"/r\",\"inviter\":\"x\"}}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\","
        "\"vars\":{\"username\":\"u\",\"link\":\"/r\",\"site_name\":\"x\"}}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\",\"vars\":{\"username\":\"u\"}}",
        /* links are paths under public_url */
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\","
        "\"vars\":{\"username\":\"u\",\"link\":\"https://evil.example/\"}}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\","
        "\"vars\":{\"username\":\"u\",\"link\":\"//evil.example/\"}}",
        /* RFC 8058 wants https; a template without the link does not take it */
        "{\"template\":\"comment_notification\",\"to\":\"a@b.example\",\"unsubscribe\":"
        "\"http://x.example/u\",\"vars\":{\"username\":\"u\",\"link\":\"/"
        "r\",\"recipe_title\":\"t\","
        "\"comments\":\"c\"}}",
        "{\"template\":\"password_reset\",\"to\":\"a@b.example\",\"unsubscribe\":\"/u\","
        "\"vars\":{\"username\":\"u\",\"link\":\"/r\"}}",
        /* a value that would reach the subject with a line break */
        "{\"template\":\"comment_notification\",\"to\":\"a@b.example\",\"unsubscribe\":\"/u\","
        "\"vars\":{\"username\":\"u\",\"link\":\"/r\",\"recipe_title\":\"t\\r\\nBcc: x@y.example\","
        "\"comments\":\"c\"}}",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char err[512] = "";
        int rc = mail_job_send(&cfg, bad[i], err, sizeof(err));
        UNIT_CHECK_AT(rc == 2 && err[0] != '\0', __LINE__, bad[i]);
        if (rc != 2)
            fprintf(stderr, "\n    payload %zu: %d %s\n", i, rc, err);
    }
    CU_ASSERT_EQUAL(drain(NULL, 0), 0);
}

static void test_good_payload_sends(void)
{
    char err[512] = "", msg[8192] = "";
    int rc =
        mail_job_send(&cfg,
                      "{\"template\":\"comment_notification\",\"to\":\"a@b.example\","
                      "\"unsubscribe\":\"/unsubscribe/abc\",\"vars\":{\"username\":\"Zo\xc3\xab\","
                      "\"link\":\"/recipes/1\",\"recipe_title\":\"Pie\","
                      "\"comments\":\"alice: yes\\nbob: no\\n\"}}",
                      err, sizeof(err));
    UNIT_ASSERT_STR(err, "");
    CU_ASSERT_EQUAL(rc, 0);
    CU_ASSERT_EQUAL(drain(msg, sizeof(msg)), 1);
    UNIT_ASSERT_HAS(msg, "\r\nTo: a@b.example\r\n");
    UNIT_ASSERT_HAS(msg, "\r\nSubject: New comments on \"Pie\"\r\n");
    UNIT_ASSERT_HAS(msg, "List-Unsubscribe: <https://recipes.example.org/unsubscribe/abc>\r\n");
    UNIT_ASSERT_HAS(msg, "https://recipes.example.org/recipes/1");
    UNIT_ASSERT_HAS(msg, "alice: yes\r\nbob: no\r\n");
}

static void test_environment_errors(void)
{
    const char *payload = "{\"template\":\"password_reset\",\"to\":\"a@b.example\","
                          "\"vars\":{\"username\":\"u\",\"link\":\"/r\"}}";
    char err[512] = "";
    /* no public_url: the link cannot be made (the job is wrong for this site) */
    cfg.public_url[0] = '\0';
    CU_ASSERT_EQUAL(mail_job_send(&cfg, payload, err, sizeof(err)), 2);
    UNIT_ASSERT_HAS(err, "public_url");
    snprintf(cfg.public_url, sizeof(cfg.public_url), "https://recipes.example.org");
    /* the templates or the directory missing: the operator can fix it, retry */
    snprintf(cfg.mail_templates, sizeof(cfg.mail_templates), "%s/none", dir);
    CU_ASSERT_EQUAL(mail_job_send(&cfg, payload, err, sizeof(err)), 1);
    snprintf(cfg.mail_templates, sizeof(cfg.mail_templates), "conf/mail");
    snprintf(cfg.mail_file_dir, sizeof(cfg.mail_file_dir), "%s/none", dir);
    CU_ASSERT_EQUAL(mail_job_send(&cfg, payload, err, sizeof(err)), 1);
    snprintf(cfg.mail_file_dir, sizeof(cfg.mail_file_dir), "%s", dir);
    /* transport off: dropped, which is success */
    snprintf(cfg.mail_transport, sizeof(cfg.mail_transport), "off");
    CU_ASSERT_EQUAL(mail_job_send(&cfg, payload, err, sizeof(err)), 0);
    snprintf(cfg.mail_transport, sizeof(cfg.mail_transport), "file");
    CU_ASSERT_EQUAL(drain(NULL, 0), 0);
}

int unit_mail_job_register(void)
{
    CU_pSuite s = CU_add_suite("mail_job", setup, teardown);
    if (s == NULL)
        return -1;
    CU_add_test(s, "payload errors are permanent", test_payload_errors_are_permanent);
    CU_add_test(s, "a good payload is rendered and written", test_good_payload_sends);
    CU_add_test(s, "public_url, templates, file_dir, transport off", test_environment_errors);
    return 0;
}
