/* The mail job (see include/api/mail_job.h): payload -> template -> MIME ->
 * transport. A payload or template that cannot make a valid message is a
 * permanent failure; a transport or template file that may be fixed later
 * is a temporary one. Values are never trusted to be header-safe here:
 * mime_build checks every header field again. */
#include "api/mail_job.h"

#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/config.h"
#include "base/log.h"
#include "base/mailer.h"
#include "lib/mailtmpl.h"
#include "lib/mime.h"
#include "lib/utf8.h"

#define MAX_VARS 16
#define URL_MAX (CONFIG_STR + MIME_URL_MAX)

enum { JOB_OK = 0, JOB_RETRY = 1, JOB_FAIL = 2 };

/* What a payload holds, pointing into its JSON tree. */
struct mail_request {
    int kind;
    const char *to;
    const char *unsubscribe;
    struct mailtmpl_var vars[MAX_VARS + 4];
    size_t nvars;
    size_t npayload; /* vars[0..npayload) came from the payload */
    char link[URL_MAX];
    char unsub[URL_MAX];
};

static struct json_object *parse_payload(const char *s, char *err, size_t errlen)
{
    size_t len = strlen(s);
    struct json_tokener *tok = json_tokener_new_ex(4);
    if (tok == NULL || len > MAIL_JOB_PAYLOAD_MAX) {
        json_tokener_free(tok);
        snprintf(err, errlen, "payload: too large or out of memory");
        return NULL;
    }
    json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    struct json_object *o = json_tokener_parse_ex(tok, s, (int)len);
    int ok = json_tokener_get_error(tok) == json_tokener_success &&
             json_tokener_get_parse_end(tok) == len && json_object_is_type(o, json_type_object);
    json_tokener_free(tok);
    if (!ok) {
        json_object_put(o);
        snprintf(err, errlen, "payload: not a JSON object");
        return NULL;
    }
    return o;
}

/* A member that must be a string of valid UTF-8 (newlines allowed only when
 * multiline) or absent; NULL when absent or bad (*bad set when bad). */
static const char *string_member(struct json_object *o, const char *key, int multiline, int *bad)
{
    struct json_object *v;
    if (!json_object_object_get_ex(o, key, &v))
        return NULL;
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    unsigned flags = UTF8_NO_CONTROLS | (multiline ? UTF8_ALLOW_NEWLINES : 0);
    if (!json_object_is_type(v, json_type_string) || n > MAIL_JOB_VAR_MAX || strlen(s) != n ||
        !utf8_valid(s, n, flags)) {
        *bad = 1;
        return NULL;
    }
    return s;
}

/* A path under public_url ("/x"), or, when absolute is allowed, an https
 * URL, into out. 0 or -1 with err. */
static int make_url(const struct config *cfg, const char *what, const char *v, int absolute,
                    char *out, size_t outlen, char *err, size_t errlen)
{
    if (absolute && strncmp(v, "https://", 8) == 0) {
        snprintf(out, outlen, "%s", v);
        return strlen(v) < outlen ? 0 : (snprintf(err, errlen, "%s: too long", what), -1);
    }
    if (v[0] != '/' || v[1] == '/') {
        snprintf(err, errlen, "%s: not a path starting with one '/'", what);
        return -1;
    }
    if (cfg->public_url[0] == '\0') {
        snprintf(err, errlen, "%s: [server] public_url is not set", what);
        return -1;
    }
    int n = snprintf(out, outlen, "%s%s", cfg->public_url, v);
    if (n < 0 || (size_t)n >= outlen) {
        snprintf(err, errlen, "%s: too long", what);
        return -1;
    }
    return 0;
}

/* Copies the payload's vars, refusing those the job function sets. */
static int read_vars(const struct config *cfg, struct json_object *vars, struct mail_request *r,
                     char *err, size_t errlen)
{
    if (vars == NULL)
        return 0;
    if (!json_object_is_type(vars, json_type_object) ||
        json_object_object_length(vars) > MAX_VARS) {
        snprintf(err, errlen, "vars: not an object of at most %d strings", MAX_VARS);
        return -1;
    }
    json_object_object_foreach(vars, key, val)
    {
        (void)val;
        int bad = 0;
        const char *s = string_member(vars, key, 1, &bad);
        if (bad || s == NULL || !strcmp(key, "site_name") || !strcmp(key, "site_url") ||
            !strcmp(key, "unsubscribe_link")) {
            snprintf(err, errlen, "vars.%.64s: not a string of text, or set by the mailer", key);
            return -1;
        }
        if (strcmp(key, "link") == 0) {
            if (make_url(cfg, "vars.link", s, 0, r->link, sizeof(r->link), err, errlen) != 0)
                return -1;
            s = r->link;
        }
        r->vars[r->nvars++] = (struct mailtmpl_var){key, s};
    }
    return 0;
}

static int read_request(const struct config *cfg, struct json_object *o, struct mail_request *r,
                        char *err, size_t errlen)
{
    static const char *const allowed[] = {"template", "to", "vars", "unsubscribe"};
    int bad = 0;
    json_object_object_foreach(o, key, val)
    {
        (void)val;
        size_t i = 0;
        while (i < 4 && strcmp(key, allowed[i]) != 0)
            i++;
        if (i == 4) {
            snprintf(err, errlen, "payload: unknown member \"%.64s\"", key);
            return -1;
        }
    }
    const char *name = string_member(o, "template", 0, &bad);
    r->to = string_member(o, "to", 0, &bad);
    r->unsubscribe = string_member(o, "unsubscribe", 0, &bad);
    r->kind = name != NULL ? mailtmpl_find(name) : -1;
    if (bad || r->kind < 0 || r->to == NULL) {
        snprintf(err, errlen, "payload: needs a known \"template\" and a \"to\" string");
        return -1;
    }
    struct json_object *vars = NULL;
    json_object_object_get_ex(o, "vars", &vars);
    if (read_vars(cfg, vars, r, err, errlen) != 0)
        return -1;
    r->npayload = r->nvars;
    r->vars[r->nvars++] = (struct mailtmpl_var){"site_name", cfg->mail_site_name};
    r->vars[r->nvars++] = (struct mailtmpl_var){"site_url", cfg->public_url};
    if (r->unsubscribe != NULL) {
        if (!mailtmpl_allowed((enum mailtmpl_kind)r->kind, "unsubscribe_link")) {
            snprintf(err, errlen, "unsubscribe: %s mails have no unsubscribe link", name);
            return -1;
        }
        if (make_url(cfg, "unsubscribe", r->unsubscribe, 1, r->unsub, sizeof(r->unsub), err,
                     errlen) != 0)
            return -1;
        r->unsubscribe = r->unsub;
        r->vars[r->nvars++] = (struct mailtmpl_var){"unsubscribe_link", r->unsub};
    }
    return 0;
}

/* The message of a rendered template, with a fresh Message-ID. */
static int assemble(const struct config *cfg, const struct mail_request *r,
                    const struct mailtmpl_out *out, char **msg, size_t *len, char *err,
                    size_t errlen)
{
    struct mime_message m = {
        .from = cfg->mail_from,
        .to = r->to,
        .subject = out->subject,
        .text = out->text,
        .text_len = out->text_len,
        .html = out->html,
        .html_len = out->html_len,
        .unsubscribe = r->unsubscribe,
        .date = time(NULL),
    };
    if (mailer_random(m.random, sizeof(m.random)) != 0) {
        snprintf(err, errlen, "no random bytes");
        return JOB_RETRY;
    }
    return mime_build(&m, msg, len, err, errlen) == 0 ? JOB_OK : JOB_FAIL;
}

static int render_and_send(const struct config *cfg, struct mail_request *r, char *err,
                           size_t errlen)
{
    struct mailtmpl t;
    struct mailtmpl_out out;
    if (mailer_template_load(cfg, (enum mailtmpl_kind)r->kind, &t, err, errlen) != 0)
        return JOB_RETRY; /* the operator can fix the file; the mail waits */
    /* the vars set here go to the templates that take them; the payload's
     * must all fit (mailtmpl_render refuses the others) */
    struct mailtmpl_var vars[MAX_VARS + 4];
    size_t n = 0;
    for (size_t i = 0; i < r->nvars; i++)
        if (mailtmpl_allowed(t.kind, r->vars[i].name) || i < r->npayload)
            vars[n++] = r->vars[i];
    int rc = mailtmpl_render(&t, vars, n, &out, err, errlen);
    mailtmpl_free(&t);
    if (rc != 0)
        return JOB_FAIL;
    char *msg = NULL;
    size_t len = 0;
    rc = assemble(cfg, r, &out, &msg, &len, err, errlen);
    mailtmpl_out_free(&out);
    if (rc == JOB_OK)
        rc = (int)mailer_send(cfg, r->to, msg, len, err, errlen);
    free(msg);
    return rc;
}

int mail_job_send(const struct config *cfg, const char *payload_json, char *err, size_t errlen)
{
    struct mail_request *r = calloc(1, sizeof(*r));
    struct json_object *o = r != NULL ? parse_payload(payload_json, err, errlen) : NULL;
    int rc = JOB_FAIL;
    if (r == NULL)
        snprintf(err, errlen, "out of memory"), rc = JOB_RETRY;
    else if (o != NULL && read_request(cfg, o, r, err, errlen) == 0)
        rc = render_and_send(cfg, r, err, errlen);
    if (rc != JOB_OK)
        log_msg(rc == JOB_RETRY ? LOG_WARN : LOG_ERROR, "mail: %s: %s",
                rc == JOB_RETRY ? "will retry" : "not sent", err);
    json_object_put(o);
    free(r);
    return rc;
}
