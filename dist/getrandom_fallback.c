/* getrandom(2) with a /dev/urandom fallback, linked only into the static
 * binary of `make dist` (-Wl,--wrap=getrandom turns the app's calls into
 * calls of __wrap_getrandom). Kernels before 3.17, such as the 3.10 of
 * CentOS/RHEL 7 where that binary is meant to run, answer ENOSYS: without
 * the fallback no session, CSRF token or media key could be made there.
 * The normal build needs glibc 2.36, so a kernel that has getrandom. */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <sys/random.h>
#include <sys/types.h>
#include <unistd.h>

ssize_t __real_getrandom(void *buf, size_t len, unsigned int flags);
ssize_t __wrap_getrandom(void *buf, size_t len, unsigned int flags);

/* Reads len bytes of /dev/urandom (GRND_NONBLOCK and GRND_RANDOM do not
 * apply to it); len, or -1 with errno set. */
static ssize_t urandom_read(void *buf, size_t len)
{
    int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    size_t got = 0;
    while (got < len) {
        ssize_t n = read(fd, (char *)buf + got, len - got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            int saved = n < 0 ? errno : EIO;
            close(fd);
            errno = saved;
            return -1;
        }
        got += (size_t)n;
    }
    close(fd);
    return (ssize_t)got;
}

ssize_t __wrap_getrandom(void *buf, size_t len, unsigned int flags)
{
    ssize_t n = __real_getrandom(buf, len, flags);
    if (n >= 0 || errno != ENOSYS)
        return n;
    return urandom_read(buf, len);
}
