/* Raw FastCGI records over a unix socket. */
#include "fcgi_client.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

int fcgi_connect(const char *path, int timeout_s)
{
    struct sockaddr_un sun;
    memset(&sun, 0, sizeof(sun));
    sun.sun_family = AF_UNIX;
    snprintf(sun.sun_path, sizeof(sun.sun_path), "%s", path);
    int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {timeout_s, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
    if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) != 0) {
        close(fd);
        return -1;
    }
    return fd;
}

void fcgi_record(unsigned char *buf, size_t *off, int type, int id, const void *content, size_t len)
{
    unsigned char *h = buf + *off;
    h[0] = 1;
    h[1] = (unsigned char)type;
    h[2] = (unsigned char)(id >> 8);
    h[3] = (unsigned char)id;
    h[4] = (unsigned char)(len >> 8);
    h[5] = (unsigned char)len;
    h[6] = 0;
    h[7] = 0;
    if (len > 0)
        memcpy(h + 8, content, len);
    *off += 8 + len;
}

static void put_len(unsigned char *buf, size_t *off, size_t n)
{
    if (n < 128) {
        buf[(*off)++] = (unsigned char)n;
        return;
    }
    buf[(*off)++] = (unsigned char)(0x80 | (n >> 24));
    buf[(*off)++] = (unsigned char)(n >> 16);
    buf[(*off)++] = (unsigned char)(n >> 8);
    buf[(*off)++] = (unsigned char)n;
}

void fcgi_pair(unsigned char *buf, size_t *off, const char *name, const char *value)
{
    size_t nl = strlen(name), vl = strlen(value);
    put_len(buf, off, nl);
    put_len(buf, off, vl);
    memcpy(buf + *off, name, nl);
    *off += nl;
    memcpy(buf + *off, value, vl);
    *off += vl;
}

int fcgi_send(int fd, const void *buf, size_t len)
{
    const unsigned char *p = buf;
    while (len > 0) {
        ssize_t n = send(fd, p, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return -1;
        p += n;
        len -= (size_t)n;
    }
    return 0;
}

static int read_full(int fd, unsigned char *buf, size_t len)
{
    size_t got = 0;
    while (got < len) {
        ssize_t n = recv(fd, buf + got, len - got, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return n == 0 ? 0 : -1;
        got += (size_t)n;
    }
    return 1;
}

long fcgi_read_stdout(int fd, char *out, size_t outlen)
{
    size_t used = 0;
    out[0] = '\0';
    for (;;) {
        unsigned char h[8], body[65536 + 256];
        int rc = read_full(fd, h, 8);
        if (rc <= 0)
            return rc == 0 ? (long)used : -1;
        size_t len = ((size_t)h[4] << 8) | h[5], pad = h[6];
        if (read_full(fd, body, len + pad) <= 0 && len + pad > 0)
            return -1;
        if (h[1] == FCGI_STDOUT_T && len > 0) {
            size_t take = len < outlen - 1 - used ? len : outlen - 1 - used;
            memcpy(out + used, body, take);
            used += take;
            out[used] = '\0';
        }
        if (h[1] == FCGI_END)
            return (long)used;
    }
}
