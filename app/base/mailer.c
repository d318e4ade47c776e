/* Mail transports (see include/base/mailer.h). SMTP goes through libcurl
 * (base/libcurl.c), opened with dlopen on the first send: linked, it would load
 * two dozen libraries into every worker that never sends mail. sendmail is
 * run with fork + execv, never a shell. The file transport writes a
 * temporary file and renames it, so a reader never sees half a mail. */
#include "base/mailer.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/config.h"
#include "base/libcurl.h"
#include "base/log.h"
#include "lib/file.h"
#include "lib/mime.h"

int mailer_random(unsigned char *buf, size_t n)
{
    return getrandom(buf, n, 0) == (ssize_t)n ? 0 : -1;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* ---- smtp (libcurl) ---- */

int mailer_smtp_loopback(const char *url)
{
    const char *host = strncmp(url, "smtp://", 7) == 0    ? url + 7
                       : strncmp(url, "smtps://", 8) == 0 ? url + 8
                                                          : NULL;
    const char *colon = host != NULL ? strrchr(host, ':') : NULL;
    char h[64];
    unsigned char a[16];
    if (colon == NULL || (size_t)(colon - host) >= sizeof(h))
        return 0;
    memcpy(h, host, (size_t)(colon - host));
    h[colon - host] = '\0';
    size_t n = strlen(h);
    if (n > 2 && h[0] == '[' && h[n - 1] == ']') {
        h[n - 1] = '\0';
        static const unsigned char v6_loopback[16] = {[15] = 1};
        return inet_pton(AF_INET6, h + 1, a) == 1 && memcmp(a, v6_loopback, 16) == 0;
    }
    return inet_pton(AF_INET, h, a) == 1 && a[0] == 127;
}

struct upload {
    const char *p;
    size_t left;
};

static size_t upload_read(char *buf, size_t size, size_t nitems, void *ctx)
{
    struct upload *u = ctx;
    size_t n = size * nitems < u->left ? size * nitems : u->left;
    memcpy(buf, u->p, n);
    u->p += n;
    u->left -= n;
    return n;
}

/* Permanent only when the server answered 5xx about this message or
 * address (MAIL, RCPT, DATA); a refused login, a missing STARTTLS, a
 * timeout or a 4xx may all change, so they are retried. */
static enum mailer_result smtp_result(const struct libcurl *curl, CURLcode rc, long code,
                                      const char *detail, char *err, size_t errlen)
{
    if (rc == CURLE_OK)
        return MAILER_OK;
    const char *hint = rc == CURLE_USE_SSL_FAILED
                           ? " (the server offers no STARTTLS; it is required unless the host "
                             "is a loopback address)"
                           : "";
    snprintf(err, errlen, "smtp: %s%s%s (reply %ld)%s", curl->strerror(rc), detail[0] ? ": " : "",
             detail, code, hint);
    return code >= 500 && code <= 599 && rc != CURLE_LOGIN_DENIED ? MAILER_FAIL : MAILER_RETRY;
}

static void smtp_options(const struct libcurl *curl, CURL *h, const struct config *cfg,
                         struct curl_slist *rcpt, const char *from, struct upload *u, char *errbuf)
{
    int plain_ok =
        strncmp(cfg->mail_smtp_url, "smtp://", 7) == 0 && mailer_smtp_loopback(cfg->mail_smtp_url);
    curl->setopt(h, CURLOPT_URL, cfg->mail_smtp_url);
    curl->setopt(h, CURLOPT_PROTOCOLS_STR, "smtp,smtps");
    curl->setopt(h, CURLOPT_USE_SSL, (long)(plain_ok ? CURLUSESSL_TRY : CURLUSESSL_ALL));
    if (cfg->mail_smtp_ca_file[0] != '\0')
        curl->setopt(h, CURLOPT_CAINFO, cfg->mail_smtp_ca_file);
    if (cfg->mail_smtp_user[0] != '\0') {
        curl->setopt(h, CURLOPT_USERNAME, cfg->mail_smtp_user);
        curl->setopt(h, CURLOPT_PASSWORD, cfg->mail_smtp_password);
    }
    curl->setopt(h, CURLOPT_MAIL_FROM, from);
    curl->setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    curl->setopt(h, CURLOPT_UPLOAD, 1L);
    curl->setopt(h, CURLOPT_READFUNCTION, upload_read);
    curl->setopt(h, CURLOPT_READDATA, u);
    curl->setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)u->left);
    curl->setopt(h, CURLOPT_CONNECTTIMEOUT, (long)cfg->mail_connect_timeout);
    curl->setopt(h, CURLOPT_TIMEOUT, (long)cfg->mail_timeout);
    curl->setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl->setopt(h, CURLOPT_ERRORBUFFER, errbuf);
}

static enum mailer_result smtp_send(const struct config *cfg, const char *from, const char *to,
                                    const char *msg, size_t len, char *err, size_t errlen)
{
    char env_from[MIME_ADDRESS_MAX + 3], env_to[MIME_ADDRESS_MAX + 3];
    char errbuf[CURL_ERROR_SIZE] = "";
    char why[160];
    const struct libcurl *curl = libcurl_open(why, sizeof(why));
    if (curl == NULL) {
        snprintf(err, errlen, "smtp: %s", why);
        return MAILER_RETRY;
    }
    snprintf(env_from, sizeof(env_from), "<%s>", from);
    snprintf(env_to, sizeof(env_to), "<%s>", to);
    CURL *h = curl->init();
    struct curl_slist *rcpt = curl->slist_append(NULL, env_to);
    if (h == NULL || rcpt == NULL) {
        if (h != NULL)
            curl->cleanup(h);
        curl->slist_free_all(rcpt);
        snprintf(err, errlen, "smtp: out of memory");
        return MAILER_RETRY;
    }
    struct upload u = {msg, len};
    smtp_options(curl, h, cfg, rcpt, env_from, &u, errbuf);
    CURLcode rc = curl->perform(h);
    long code = 0;
    if (curl->getinfo(h, CURLINFO_RESPONSE_CODE, &code) != CURLE_OK)
        code = 0;
    curl->cleanup(h);
    curl->slist_free_all(rcpt);
    return smtp_result(curl, rc, code, errbuf, err, errlen);
}

/* ---- sendmail ---- */

/* Writes msg to fd (non-blocking) until done or the deadline; SIGPIPE is
 * held so that a program that exits early gives EPIPE, not a dead caller.
 * 0, or -1 with errno. */
static int write_all_until(int fd, const char *msg, size_t len, long deadline)
{
    sigset_t pipe_set, old;
    sigemptyset(&pipe_set);
    sigaddset(&pipe_set, SIGPIPE);
    pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
    int rc = 0;
    while (len > 0 && rc == 0) {
        struct pollfd p = {fd, POLLOUT, 0};
        long left = deadline - now_ms();
        if (left <= 0) {
            errno = ETIMEDOUT;
            rc = -1;
        } else if (poll(&p, 1, (int)left) < 0 && errno != EINTR) {
            rc = -1;
        } else {
            ssize_t w = write(fd, msg, len);
            if (w > 0)
                msg += w, len -= (size_t)w;
            else if (w < 0 && errno != EAGAIN && errno != EINTR)
                rc = -1;
        }
    }
    int saved = errno;
    struct timespec zero = {0, 0};
    if (!sigismember(&old, SIGPIPE))
        while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
            ; /* a SIGPIPE we caused: consumed, not delivered */
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    errno = saved;
    return rc;
}

/* Waits for pid until the deadline, then kills it. The wait status, or -1
 * when it had to be killed. */
static int wait_until(pid_t pid, long deadline)
{
    int status;
    for (;;) {
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0 && errno != EINTR)
            return -1;
        if (now_ms() >= deadline) {
            kill(pid, SIGKILL);
            while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
                ;
            return -1;
        }
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* The first line the program wrote to stderr (kept in a memfd). */
static void read_stderr(int fd, char *out, size_t outlen)
{
    ssize_t n = pread(fd, out, outlen - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    out[strcspn(out, "\r\n")] = '\0';
}

/* sysexits.h: EX_TEMPFAIL and the local failures that may pass are
 * retried; the rest (EX_NOUSER, EX_DATAERR, ...) are permanent. */
static enum mailer_result sendmail_status(int status, const char *path, const char *why, char *err,
                                          size_t errlen)
{
    if (status == -1) {
        snprintf(err, errlen, "sendmail: %s did not finish in time (killed)%s%s", path,
                 why[0] ? ": " : "", why);
        return MAILER_RETRY;
    }
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return MAILER_OK;
    int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    snprintf(err, errlen, "sendmail: %s %s %d%s%s", path,
             WIFEXITED(status) ? "exited with" : "was killed by signal",
             WIFEXITED(status) ? code : WTERMSIG(status), why[0] ? ": " : "", why);
    int temporary = code == -1 || code == 69 || code == 70 || code == 71 || code == 72 ||
                    code == 73 || code == 74 || code == 75 || code == 127;
    return temporary ? MAILER_RETRY : MAILER_FAIL;
}

static void sendmail_child(const char *path, int in, int errfd)
{
    int devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (dup2(in, 0) < 0 || dup2(errfd, 2) < 0 || (devnull >= 0 && dup2(devnull, 1) < 0))
        _exit(71);
    close_range(3, ~0U, 0); /* the database socket and the like are not sendmail's */
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    char *const argv[] = {(char *)path, (char *)"-t", (char *)"-i", NULL};
    execv(path, argv);
    dprintf(2, "cannot run: %s\n", strerror(errno));
    _exit(127);
}

static enum mailer_result sendmail_send(const struct config *cfg, const char *msg, size_t len,
                                        char *err, size_t errlen)
{
    const char *path = cfg->mail_sendmail_path;
    long deadline = now_ms() + (long)cfg->mail_timeout * 1000;
    int fds[2], errfd = memfd_create("sendmail-stderr", MFD_CLOEXEC);
    if (errfd < 0 || pipe2(fds, O_CLOEXEC) != 0) {
        snprintf(err, errlen, "sendmail: %s", strerror(errno));
        if (errfd >= 0)
            close(errfd);
        return MAILER_RETRY;
    }
    pid_t pid = fork();
    if (pid == 0)
        sendmail_child(path, fds[0], errfd);
    close(fds[0]);
    if (pid < 0) {
        snprintf(err, errlen, "sendmail: fork: %s", strerror(errno));
        close(fds[1]);
        close(errfd);
        return MAILER_RETRY;
    }
    fcntl(fds[1], F_SETFL, O_NONBLOCK);
    int wrote = write_all_until(fds[1], msg, len, deadline);
    int werr = errno;
    close(fds[1]);
    int status = wait_until(pid, deadline);
    char why[200];
    read_stderr(errfd, why, sizeof(why));
    close(errfd);
    if (wrote != 0 && why[0] == '\0')
        snprintf(why, sizeof(why), "writing the mail: %s", strerror(werr));
    enum mailer_result r = sendmail_status(status, path, why, err, errlen);
    if (r == MAILER_OK && wrote != 0) { /* it exited 0 without reading it all */
        snprintf(err, errlen, "sendmail: %s: %s", path, why);
        r = MAILER_RETRY;
    }
    return r;
}

/* ---- file ---- */

static int write_file(int fd, const char *msg, size_t len)
{
    while (len > 0) {
        ssize_t w = write(fd, msg, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return -1;
        msg += w;
        len -= (size_t)w;
    }
    return fsync(fd);
}

static enum mailer_result file_send(const struct config *cfg, const char *msg, size_t len,
                                    char *err, size_t errlen)
{
    unsigned char r[8];
    char stamp[32], name[CONFIG_STR + 96], tmp[CONFIG_STR + 96];
    time_t now = time(NULL);
    struct tm tm;
    if (mailer_random(r, sizeof(r)) != 0 || gmtime_r(&now, &tm) == NULL ||
        strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm) == 0) {
        snprintf(err, errlen, "file: %s", strerror(errno));
        return MAILER_RETRY;
    }
    int n = snprintf(name, sizeof(name), "%s/%s-%02x%02x%02x%02x%02x%02x%02x%02x.eml",
                     cfg->mail_file_dir, stamp, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    int m = snprintf(tmp, sizeof(tmp), "%s/.tmp-%02x%02x%02x%02x%02x%02x%02x%02x",
                     cfg->mail_file_dir, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
    if (n < 0 || (size_t)n >= sizeof(name) || m < 0 || (size_t)m >= sizeof(tmp)) {
        snprintf(err, errlen, "file: [mail] file_dir is too long");
        return MAILER_FAIL;
    }
    int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0640);
    if (fd < 0 || write_file(fd, msg, len) != 0 || close(fd) != 0 || rename(tmp, name) != 0) {
        int e = errno;
        if (fd >= 0) {
            close(fd);
            unlink(tmp);
        }
        snprintf(err, errlen, "file: %s: %s", fd < 0 ? tmp : name, strerror(e));
        return MAILER_RETRY;
    }
    int dfd = open(cfg->mail_file_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dfd >= 0) { /* the new name survives a crash too */
        fsync(dfd);
        close(dfd);
    }
    return MAILER_OK;
}

enum mailer_result mailer_send(const struct config *cfg, const char *to, const char *msg,
                               size_t len, char *err, size_t errlen)
{
    char from[MIME_ADDRESS_MAX + 1];
    const char *t = cfg->mail_transport;
    if (mime_from_address(cfg->mail_from, from, sizeof(from)) != 0 || !mime_address_valid(to)) {
        snprintf(err, errlen, "%s: not an address", mime_address_valid(to) ? "[mail] from" : "to");
        return MAILER_FAIL;
    }
    if (strcmp(t, "smtp") == 0)
        return smtp_send(cfg, from, to, msg, len, err, errlen);
    if (strcmp(t, "sendmail") == 0)
        return sendmail_send(cfg, msg, len, err, errlen);
    if (strcmp(t, "file") == 0)
        return file_send(cfg, msg, len, err, errlen);
    log_msg(LOG_INFO, "mail: [mail] transport = off: a mail of %zu bytes to %s dropped", len, to);
    return MAILER_OK;
}

/* ---- templates ---- */

int mailer_template_load(const struct config *cfg, enum mailtmpl_kind kind, struct mailtmpl *t,
                         char *err, size_t errlen)
{
    char path[CONFIG_STR + 64], why[512];
    char *txt = NULL, *html = NULL;
    size_t tn = 0, hn = 0;
    const char *name = mailtmpl_name(kind);
    int rc = -1;
    snprintf(path, sizeof(path), "%s/%s.txt", cfg->mail_templates, name ? name : "?");
    if (name == NULL || file_read_all(path, MAILTMPL_FILE_MAX, &txt, &tn, err, errlen) != 0)
        return -1;
    snprintf(path, sizeof(path), "%s/%s.html", cfg->mail_templates, name);
    if (access(path, F_OK) == 0 &&
        file_read_all(path, MAILTMPL_FILE_MAX, &html, &hn, err, errlen) != 0)
        goto out;
    if (mailtmpl_parse(t, kind, txt, tn, html, hn, why, sizeof(why)) != 0) {
        snprintf(err, errlen, "%s/%s", cfg->mail_templates, why);
        goto out;
    }
    rc = 0;
out:
    free(txt);
    free(html);
    return rc;
}

int mailer_templates_check(const struct config *cfg, char *err, size_t errlen)
{
    for (int k = 0; k < MAILTMPL__MAX; k++) {
        struct mailtmpl t;
        if (mailer_template_load(cfg, (enum mailtmpl_kind)k, &t, err, errlen) != 0)
            return -1;
        mailtmpl_free(&t);
    }
    return 0;
}
