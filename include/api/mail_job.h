/* The job function of kind "mail": renders a template for one recipient,
 * assembles the message and hands it to the configured transport. The job
 * queue calls it with the job's payload; `recipebox mail test` calls it
 * directly. */
#ifndef RB_API_MAIL_JOB_H
#define RB_API_MAIL_JOB_H

#include <stddef.h>

struct config;

#define MAIL_JOB_PAYLOAD_MAX (256u << 10) /* bytes of one payload */
#define MAIL_JOB_VAR_MAX (64u << 10)      /* bytes of one var's value */

/* payload_json: {"template": NAME, "to": ADDRESS, "vars": {NAME: STRING,
 * ...}, "unsubscribe": URL (optional)}. vars may not set site_name,
 * site_url or unsubscribe_link (from [mail] site_name, [server] public_url
 * and "unsubscribe"); "link" is a path ("/reset?t=...") that public_url is
 * put before. "unsubscribe" is an https URL, or a path under public_url; it
 * adds the RFC 8058 List-Unsubscribe headers, and only templates that take
 * {{unsubscribe_link}} (comment_notification) accept it.
 * Returns 0 (sent), 1 (temporary failure: retry later) or 2 (permanent:
 * never retry), with why in err when not 0. */
int mail_job_send(const struct config *cfg, const char *payload_json, char *err, size_t errlen);

#endif
