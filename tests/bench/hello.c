/* The performance reference: a minimal libfcgi hello-world, pre-forked like
 * recipebox, answering {"status":"ok"}. Usage: hello SOCKET_PATH [WORKERS]
 * (or with fd 0 a listening socket when no path is given). */
#include <fcgiapp.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

static void serve(int fd)
{
    static const char answer[] = "Status: 200 OK\r\nContent-Type: application/json\r\n"
                                 "Content-Length: 15\r\n\r\n{\"status\":\"ok\"}";
    FCGX_Request req;
    prctl(PR_SET_PDEATHSIG, SIGKILL); /* stopping the parent stops the pool */
    FCGX_InitRequest(&req, fd, 0);
    while (FCGX_Accept_r(&req) == 0) {
        FCGX_PutStr(answer, (int)sizeof(answer) - 1, req.out);
        FCGX_Finish_r(&req);
    }
    _exit(0);
}

int main(int argc, char **argv)
{
    int workers = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 4;
    if (FCGX_Init() != 0)
        return 1;
    int fd = argc > 1 ? FCGX_OpenSocket(argv[1], 511) : 0;
    if (fd < 0)
        return 1;
    for (int i = 0; i < workers; i++)
        if (fork() == 0)
            serve(fd);
    int status;
    while (wait(&status) > 0)
        ;
    return 0;
}
