/* Plain CGI: one request from the environment and stdin, answer on stdout. */
#ifndef RB_RUNTIME_CGI_H
#define RB_RUNTIME_CGI_H

struct app;

/* Serves the one request. The route table (app->routes) is checked first: a
 * bad one is reported on stderr and answered 500. Returns the process exit
 * code. */
int cgi_run(struct app *app);

#endif
