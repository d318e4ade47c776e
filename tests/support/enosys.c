/* enosys COMMAND [ARG...]: runs COMMAND as on Linux 3.10 (CentOS/RHEL 7),
 * as far as system calls go: every x86-64 system call that kernel does not
 * have (number 314, sched_setattr of 3.14, and up: getrandom, statx, rseq,
 * clone3...) fails with ENOSYS, through a seccomp filter that the command
 * and its children inherit. Used by tests/support/dist.sh on the static
 * binary of `make dist`. */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <unistd.h>

#define FIRST_MISSING 314 /* sched_setattr, Linux 3.14 */

int main(int argc, char **argv)
{
    struct sock_filter filter[] = {
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
        BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
        BPF_JUMP(BPF_JMP | BPF_JGE | BPF_K, FIRST_MISSING, 0, 1),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
        BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
    };
    struct sock_fprog prog = {sizeof(filter) / sizeof(filter[0]), filter};
    if (argc < 2) {
        fputs("usage: enosys COMMAND [ARG...]\n", stderr);
        return 2;
    }
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
        perror("enosys: seccomp");
        return 125;
    }
    execvp(argv[1], argv + 1);
    perror("enosys: exec");
    return 127;
}
