/* Commands, the private MariaDB and /proc for the suites (see shell.h). */
#include "shell.h"

#include <dirent.h>
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

const char *shell_env(const char *name)
{
    const char *v = getenv(name);
    return v ? v : "";
}

double shell_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int shell_run(char *const argv[], char *out, size_t outlen)
{
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) /* a daemon started by the command must not hold it */
        return -1;
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    posix_spawn_file_actions_addclose(&fa, pfd[0]);
    pid_t pid;
    int rc = posix_spawnp(&pid, argv[0], &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    if (rc != 0) {
        close(pfd[0]);
        return -1;
    }
    size_t got = 0;
    ssize_t n;
    while ((n = read(pfd[0], out + got, outlen - 1 - got)) > 0 && got + (size_t)n < outlen - 1)
        got += (size_t)n;
    if (n > 0)
        got += (size_t)n;
    char sink[4096];
    while (read(pfd[0], sink, sizeof(sink)) > 0)
        ;
    out[got < outlen ? got : outlen - 1] = '\0';
    close(pfd[0]);
    int st;
    if (waitpid(pid, &st, 0) != pid)
        return -1;
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

int shell_mariadb(const char *action)
{
    char out[4096];
    char *argv[] = {"sh", (char *)shell_env("RB_MARIADB"), (char *)action,
                    (char *)shell_env("RB_DB_DIR"), NULL};
    int rc = shell_run(argv, out, sizeof(out));
    if (rc != 0)
        fprintf(stderr, "mariadb.sh %s: %s\n", action, out);
    return rc;
}

int shell_sql(const char *query, char *out, size_t len)
{
    char *argv[] = {"sh",          (char *)shell_env("RB_MARIADB"),
                    "sql",         (char *)shell_env("RB_DB_DIR"),
                    "-N",          "-B",
                    "recipebox",   "-e",
                    (char *)query, NULL};
    return shell_run(argv, out, len);
}

/* Reads /proc/PID/stat: its name, state and parent. 0 or -1. */
static int proc_stat(const char *pid, char *name, size_t namelen, char *state, int *ppid)
{
    char path[300], buf[512];
    snprintf(path, sizeof(path), "/proc/%s/stat", pid);
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return -1;
    size_t len = fread(buf, 1, sizeof(buf) - 1, f);
    fclose(f);
    buf[len] = '\0';
    char *lp = strchr(buf, '('), *rp = strrchr(buf, ')'); /* the name may hold spaces */
    if (lp == NULL || rp == NULL || rp < lp || sscanf(rp + 1, " %c %d", state, ppid) != 2)
        return -1;
    snprintf(name, namelen, "%.*s", (int)(rp - lp - 1), lp + 1);
    return 0;
}

int shell_children(pid_t parent, const char *comm, pid_t *pids, int max, int *zombies)
{
    int n = 0, z = 0;
    DIR *d = opendir("/proc");
    if (d == NULL)
        return -1;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        char name[64], state;
        int ppid;
        if (e->d_name[0] < '0' || e->d_name[0] > '9' ||
            proc_stat(e->d_name, name, sizeof(name), &state, &ppid) != 0 || ppid != parent)
            continue;
        if (state == 'Z')
            z++;
        else if ((comm == NULL || strcmp(name, comm) == 0) && n < max)
            pids[n++] = (pid_t)strtol(e->d_name, NULL, 10);
    }
    closedir(d);
    if (zombies != NULL)
        *zombies = z;
    return n;
}
