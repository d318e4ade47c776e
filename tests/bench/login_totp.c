/* The TOTP login benchmark: THREADS clients log in to ACCOUNTS accounts with
 * two-factor authentication on, each login the two steps (POST
 * /api/v1/auth/login, then POST /api/v1/auth/mfa with the current code,
 * computed here with liboath as an authenticator app does) for SECONDS.
 * A code's step works once per account, so every login takes an account
 * not used before. Prints "LOGINS_PER_SECOND OK FAILED". The setup
 * (register, enrol, confirm each account) runs first, on the same threads.
 * usage: login_totp BASE_URL PREFIX ACCOUNTS THREADS SECONDS */
#include <curl/curl.h>
#include <liboath/oath.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define PASSWORD "bench password 1"

struct account {
    char secret[64];
    char cookie[128];
    char csrf[64];
    int ready;
};

static const char *base, *prefix;
static struct account *accounts;
static int naccounts;
static atomic_int next_account;
static atomic_long ok_count, failed_count;
static double deadline;

struct buf {
    char data[8192];
    size_t len;
};

static size_t sink(char *p, size_t size, size_t n, void *ctx)
{
    struct buf *b = ctx;
    size_t k = size * n;
    if (b->len + k < sizeof(b->data)) {
        memcpy(b->data + b->len, p, k);
        b->len += k;
        b->data[b->len] = '\0';
    }
    return k;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* POST path with a JSON body (and a session when a is given); the status,
 * the body in out and the headers in hdr. */
static long post(CURL *c, const char *path, const char *json, const struct account *a,
                 struct buf *out, struct buf *hdr)
{
    char url[512], ck[256], cs[128];
    struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
    if (a != NULL) {
        snprintf(ck, sizeof(ck), "Cookie: rb_session=%s", a->cookie);
        snprintf(cs, sizeof(cs), "X-CSRF-Token: %s", a->csrf);
        h = curl_slist_append(h, ck);
        h = curl_slist_append(h, cs);
    }
    snprintf(url, sizeof(url), "%s%s", base, path);
    out->len = hdr->len = 0;
    out->data[0] = hdr->data[0] = '\0';
    curl_easy_reset(c);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
    curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, sink);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, hdr);
    long status = 0;
    if (curl_easy_perform(c) == CURLE_OK)
        curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(h);
    return status;
}

/* The string value of "key":"..." in body into out. */
static void field(const char *body, const char *key, char *out, size_t len)
{
    char pat[64];
    snprintf(pat, sizeof(pat), "\"%s\":\"", key);
    const char *p = strstr(body, pat);
    out[0] = '\0';
    if (p != NULL) {
        p += strlen(pat);
        size_t n = strcspn(p, "\"");
        snprintf(out, len, "%.*s", (int)(n < len ? n : len - 1), p);
    }
}

/* The code of secret at now + offset seconds. */
static void code_at(const char *secret, long offset, char out[7])
{
    char *bin = NULL;
    size_t len = 0;
    out[0] = '\0';
    if (oath_base32_decode(secret, strlen(secret), &bin, &len) == OATH_OK &&
        oath_totp_generate(bin, len, time(NULL) + offset, 30, 0, 6, out) != OATH_OK)
        out[0] = '\0';
    free(bin);
}

static int setup_one(CURL *c, int i)
{
    struct account *a = &accounts[i];
    struct buf out, hdr;
    char body[256], code[7];
    snprintf(body, sizeof(body),
             "{\"username\":\"%s%d\",\"email\":\"%s%d@example.org\",\"password\":\"" PASSWORD "\"}",
             prefix, i, prefix, i);
    long st = post(c, "/api/v1/auth/register", body, NULL, &out, &hdr);
    if (st != 201) {
        fprintf(stderr, "login_totp: register %d: %ld %.200s\n", i, st, out.data);
        return -1;
    }
    const char *ck = strstr(hdr.data, "rb_session=");
    if (ck == NULL)
        return -1;
    snprintf(a->cookie, sizeof(a->cookie), "%.*s", (int)strcspn(ck + 11, ";\r\n"), ck + 11);
    field(out.data, "csrf_token", a->csrf, sizeof(a->csrf));
    if (post(c, "/api/v1/me/mfa/totp", "", a, &out, &hdr) != 200)
        return -1;
    field(out.data, "secret", a->secret, sizeof(a->secret));
    /* confirmed with the previous step's code (inside the ±1 window), so
     * that the current step is still fresh for the measured login */
    code_at(a->secret, -30, code);
    snprintf(body, sizeof(body), "{\"code\":\"%s\"}", code);
    if ((st = post(c, "/api/v1/me/mfa/totp/confirm", body, a, &out, &hdr)) != 200) {
        fprintf(stderr, "login_totp: confirm %d: %ld %.200s\n", i, st, out.data);
        return -1;
    }
    a->ready = 1;
    return 0;
}

static int login_one(CURL *c, int i)
{
    struct buf out, hdr;
    char body[256], token[64], code[7];
    snprintf(body, sizeof(body), "{\"login\":\"%s%d\",\"password\":\"" PASSWORD "\"}", prefix, i);
    if (post(c, "/api/v1/auth/login", body, NULL, &out, &hdr) != 200)
        return -1;
    field(out.data, "mfa_token", token, sizeof(token));
    code_at(accounts[i].secret, 0, code);
    snprintf(body, sizeof(body), "{\"mfa_token\":\"%s\",\"code\":\"%s\"}", token, code);
    return post(c, "/api/v1/auth/mfa", body, NULL, &out, &hdr) == 200 ? 0 : -1;
}

static void *setup_thread(void *arg)
{
    (void)arg;
    CURL *c = curl_easy_init();
    for (int i; c != NULL && (i = atomic_fetch_add(&next_account, 1)) < naccounts;)
        if (setup_one(c, i) != 0)
            fprintf(stderr, "login_totp: account %d could not be set up\n", i);
    curl_easy_cleanup(c);
    return NULL;
}

static void *login_thread(void *arg)
{
    (void)arg;
    CURL *c = curl_easy_init();
    while (c != NULL && now() < deadline) {
        int i = atomic_fetch_add(&next_account, 1);
        if (i >= naccounts) {
            fprintf(stderr, "login_totp: out of fresh accounts; give more\n");
            break;
        }
        if (!accounts[i].ready)
            continue;
        if (login_one(c, i) == 0)
            atomic_fetch_add(&ok_count, 1);
        else
            atomic_fetch_add(&failed_count, 1);
    }
    curl_easy_cleanup(c);
    return NULL;
}

static void run(int threads, void *(*fn)(void *))
{
    pthread_t t[64];
    for (int i = 0; i < threads; i++)
        pthread_create(&t[i], NULL, fn, NULL);
    for (int i = 0; i < threads; i++)
        pthread_join(t[i], NULL);
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: login_totp BASE_URL PREFIX ACCOUNTS THREADS SECONDS\n");
        return 2;
    }
    base = argv[1];
    prefix = argv[2];
    naccounts = atoi(argv[3]);
    int threads = atoi(argv[4]);
    double secs = strtod(argv[5], NULL);
    if (naccounts < 1 || threads < 1 || threads > 64 || secs <= 0 || oath_init() != OATH_OK ||
        curl_global_init(CURL_GLOBAL_DEFAULT) != 0)
        return 2;
    accounts = calloc((size_t)naccounts, sizeof(*accounts));
    if (accounts == NULL)
        return 1;
    run(threads, setup_thread);
    atomic_store(&next_account, 0);
    double start = now();
    deadline = start + secs;
    run(threads, login_thread);
    double took = now() - start;
    printf("%.2f %ld %ld\n", (double)atomic_load(&ok_count) / took, atomic_load(&ok_count),
           atomic_load(&failed_count));
    free(accounts);
    return 0;
}
