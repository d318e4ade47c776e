/* `recipebox mail test` (see include/cli/mail.h). Without --template it
 * sends a built-in message that exercises the encodings (a UTF-8 subject
 * long enough to fold, a body with long lines, '=', trailing spaces and a
 * leading '.'); with --template it goes through the mail job itself, with
 * sample values for every placeholder. */
#include "cli/mail.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/mail_job.h"
#include "base/config.h"
#include "base/mailer.h"
#include "lib/mailtmpl.h"
#include "lib/mime.h"

#define EX_TEMPFAIL 75

static const char test_subject[] =
    "recipebox mail test: Grüße aus der Küche 🍲 — the settings work, überall";
static const char test_body[] =
    "This is a test mail from recipebox (`recipebox mail test`).\n"
    "If you can read it, the [mail] settings work.\n"
    "\n"
    "Umlauts and more: Grüße, crème brûlée, 🍲, 1 = 1.\n"
    "A long line: Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod "
    "tempor incididunt ut labore et dolore magna aliqua.\n"
    ".a line that starts with a dot\n"
    "From the start of a line; trailing spaces:   \n";

/* Sample values for every placeholder a template may take. */
static const struct {
    const char *name, *value;
} samples[] = {
    {"username", "Zoë Tester"},
    {"link", "/mail-test"},
    {"recipe_title", "Crème brûlée <for 4> & more"},
    {"comments", "alice: Lovely = perfect!\nbob: Made it twice.\n"},
    {"new_email", "new-address@example.org"},
    {"inviter", "Ada Lovelace"},
};

static int result_code(int r, const char *err)
{
    if (r == 0) {
        printf("sent\n");
        return 0;
    }
    fprintf(stderr, "recipebox mail test: %s failure: %s\n", r == 1 ? "temporary" : "permanent",
            err);
    return r == 1 ? EX_TEMPFAIL : 1;
}

static int send_builtin(const struct config *cfg, const char *to, const char *unsub)
{
    struct mime_message m = {.from = cfg->mail_from,
                             .to = to,
                             .subject = test_subject,
                             .text = test_body,
                             .text_len = sizeof(test_body) - 1,
                             .unsubscribe = unsub,
                             .date = time(NULL)};
    char err[1024], *msg = NULL;
    size_t len;
    if (mailer_random(m.random, sizeof(m.random)) != 0)
        return result_code(1, "no random bytes");
    if (mime_build(&m, &msg, &len, err, sizeof(err)) != 0)
        return result_code(2, err);
    int r = (int)mailer_send(cfg, to, msg, len, err, sizeof(err));
    free(msg);
    return result_code(r, err);
}

/* The payload the job queue would hold, with the samples the template takes. */
static int send_template(const struct config *cfg, const char *to, int kind, const char *unsub)
{
    json_object *o = json_object_new_object(), *vars = json_object_new_object();
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++)
        if (mailtmpl_allowed((enum mailtmpl_kind)kind, samples[i].name))
            json_object_object_add(vars, samples[i].name, json_object_new_string(samples[i].value));
    json_object_object_add(o, "template", json_object_new_string(mailtmpl_name(kind)));
    json_object_object_add(o, "to", json_object_new_string(to));
    json_object_object_add(o, "vars", vars);
    if (unsub == NULL && mailtmpl_allowed((enum mailtmpl_kind)kind, "unsubscribe_link"))
        unsub = "/mail-test/unsubscribe";
    if (unsub != NULL)
        json_object_object_add(o, "unsubscribe", json_object_new_string(unsub));
    char err[1024];
    int r = mail_job_send(cfg, json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN), err,
                          sizeof(err));
    json_object_put(o);
    return result_code(r, err);
}

static int usage(void)
{
    fprintf(stderr, "usage: recipebox mail [-c FILE] test --to ADDRESS [--template NAME] "
                    "[--unsubscribe URL]\n");
    return 2;
}

int cli_mail(const struct config *cfg, int argc, char **argv)
{
    const char *to = NULL, *tmpl = NULL, *unsub = NULL;
    if (argc < 1 || strcmp(argv[0], "test") != 0)
        return usage();
    for (int i = 1; i < argc; i++) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--to") == 0)
            to = argv[++i];
        else if (strcmp(argv[i], "--template") == 0)
            tmpl = argv[++i];
        else if (strcmp(argv[i], "--unsubscribe") == 0)
            unsub = argv[++i];
        else
            return usage();
    }
    if (to == NULL)
        return usage();
    if (tmpl == NULL)
        return send_builtin(cfg, to, unsub);
    int kind = mailtmpl_find(tmpl);
    if (kind < 0) {
        fprintf(stderr, "recipebox mail test: no template \"%s\"\n", tmpl);
        return 2;
    }
    return send_template(cfg, to, kind, unsub);
}
