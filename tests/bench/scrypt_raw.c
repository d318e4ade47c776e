/* The login benchmark's reference: raw libscrypt_scrypt at given N, r, p,
 * in P processes for S seconds. Prints hashes per second. */
#include <libscrypt.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: scrypt_raw N r p processes seconds\n");
        return 2;
    }
    unsigned long long n = strtoull(argv[1], NULL, 10);
    unsigned r = (unsigned)strtoul(argv[2], NULL, 10), p = (unsigned)strtoul(argv[3], NULL, 10);
    int procs = (int)strtol(argv[4], NULL, 10);
    double secs = strtod(argv[5], NULL);
    long *counts = mmap(NULL, sizeof(long) * (size_t)procs, PROT_READ | PROT_WRITE,
                        MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (counts == MAP_FAILED)
        return 1;
    double t0 = now();
    for (int i = 0; i < procs; i++) {
        if (fork() == 0) {
            unsigned char out[64];
            long c = 0;
            while (now() - t0 < secs) {
                if (libscrypt_scrypt((const unsigned char *)"a login password", 16,
                                     (const unsigned char *)"0123456789abcdef", 16, n, r, p, out,
                                     sizeof(out)) != 0)
                    _exit(1);
                c++;
            }
            counts[i] = c;
            _exit(0);
        }
    }
    long total = 0;
    for (int i = 0; i < procs; i++)
        wait(NULL);
    for (int i = 0; i < procs; i++)
        total += counts[i];
    printf("%.1f\n", (double)total / (now() - t0));
    return 0;
}
