/* A raw FastCGI client for the fault suites: well-formed requests and
 * deliberately malformed records sent straight to the pool's socket. */
#ifndef RB_TESTS_FCGI_CLIENT_H
#define RB_TESTS_FCGI_CLIENT_H

#include <stddef.h>

/* Connects to the unix socket path with a receive timeout. fd or -1. */
int fcgi_connect(const char *path, int timeout_s);

/* Appends a record (type, request id, content) to buf at *off. */
void fcgi_record(unsigned char *buf, size_t *off, int type, int id, const void *content,
                 size_t len);

/* Appends one name-value pair to buf at *off (FastCGI length encoding). */
void fcgi_pair(unsigned char *buf, size_t *off, const char *name, const char *value);

/* Sends all bytes. 0/-1. */
int fcgi_send(int fd, const void *buf, size_t len);

/* Reads records until END_REQUEST or EOF or the timeout, concatenating the
 * STDOUT contents into out (NUL-terminated). Returns the bytes of STDOUT,
 * or -1 when the connection timed out or the reply was malformed. */
long fcgi_read_stdout(int fd, char *out, size_t outlen);

enum {
    FCGI_BEGIN = 1,
    FCGI_ABORT = 2,
    FCGI_END = 3,
    FCGI_PARAMS_T = 4,
    FCGI_STDIN_T = 5,
    FCGI_STDOUT_T = 6
};

#endif
