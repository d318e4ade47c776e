/* Invites, the way in when [auth] registration = invite: admins make,
 * list and revoke them (/api/v1/admin/invites). */
#ifndef RB_API_INVITES_H
#define RB_API_INVITES_H

#include "http/status.h"

struct app;
struct db;
struct request;
struct response;

enum http_status invites_create(struct app *app, struct request *req, struct response *res);
enum http_status invites_list(struct app *app, struct request *req, struct response *res);
enum http_status invites_revoke(struct app *app, struct request *req, struct response *res);

/* An invite bound to email_norm whose token only its mail will hold (the
 * invite job makes it): the row, then the job. *id receives the invite.
 * inviter names who invites, in the mail. 0, or -1 (database). The CLI's
 * `user invite` shares it. */
int invites_mail(struct db *db, const char *email_norm, unsigned max_uses, unsigned days,
                 long long created_by, const char *inviter, long long *id);

#endif
