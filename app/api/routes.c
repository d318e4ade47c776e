/* The route table: every endpoint of the API, its minimum role, CSRF need,
 * rate-limit class and body kind. Reading this file shows the whole API. */
#include "api/routes.h"

#include "api/auth.h"
#include "api/ops.h"
#include "api/users.h"

const struct route routes_table[] = {
    /* method, pattern, handler, min role, flags, rate class, body kind */
    {METHOD_GET, "/healthz", ops_healthz, ROLE_ANON, ROUTE_ROOT, RATE_NONE, BODY_NONE},
    {METHOD_GET, "/readyz", ops_readyz, ROLE_ANON, ROUTE_ROOT, RATE_NONE, BODY_NONE},
    {METHOD_GET, "/metrics", ops_metrics, ROLE_ANON, ROUTE_ROOT | ROUTE_RESTRICTED, RATE_NONE,
     BODY_NONE},
    {METHOD_GET, "/status", ops_status, ROLE_ANON, ROUTE_ROOT | ROUTE_RESTRICTED, RATE_NONE,
     BODY_NONE},
    {METHOD_GET, "/api/v1/_test/sleep", ops_test_sleep, ROLE_ANON, ROUTE_TEST, RATE_NONE,
     BODY_NONE},
    {METHOD_POST, "/api/v1/_test/echo", ops_test_echo, ROLE_ANON, ROUTE_TEST, RATE_NONE, BODY_JSON},
    {METHOD_PUT, "/api/v1/_test/echo", ops_test_echo, ROLE_ANON, ROUTE_TEST, RATE_NONE, BODY_JSON},
    {METHOD_POST, "/api/v1/auth/register", auth_register, ROLE_ANON, 0, RATE_AUTH, BODY_JSON},
    {METHOD_POST, "/api/v1/auth/login", auth_login, ROLE_ANON, 0, RATE_AUTH, BODY_JSON},
    {METHOD_POST, "/api/v1/auth/logout", auth_logout, ROLE_USER, ROUTE_CSRF, RATE_WRITE,
     BODY_NONE},
    {METHOD_GET, "/api/v1/auth/session", auth_session, ROLE_ANON, 0, RATE_READ, BODY_NONE},
    {METHOD_GET, "/api/v1/auth/sessions", auth_sessions_list, ROLE_USER, 0, RATE_READ, BODY_NONE},
    {METHOD_DELETE, "/api/v1/auth/sessions/{id}", auth_session_revoke, ROLE_USER, ROUTE_CSRF,
     RATE_WRITE, BODY_NONE},
    {METHOD_POST, "/api/v1/auth/password", auth_password, ROLE_USER, ROUTE_CSRF, RATE_AUTH,
     BODY_JSON},
    {METHOD_GET, "/api/v1/me", auth_me, ROLE_USER, 0, RATE_READ, BODY_NONE},
    {METHOD_PATCH, "/api/v1/me", users_me_patch, ROLE_USER, ROUTE_CSRF, RATE_WRITE, BODY_JSON},
    {METHOD_DELETE, "/api/v1/me", users_me_delete, ROLE_USER, ROUTE_CSRF, RATE_AUTH, BODY_JSON},
    {METHOD_GET, "/api/v1/users/{username}", users_profile, ROLE_ANON, 0, RATE_READ, BODY_NONE},
    {METHOD_GET, "/api/v1/admin/users", users_admin_list, ROLE_ADMIN, 0, RATE_READ, BODY_NONE},
    {METHOD_PATCH, "/api/v1/admin/users/{id}", users_admin_patch, ROLE_ADMIN, ROUTE_CSRF,
     RATE_WRITE, BODY_JSON},
    {METHOD_GET, "/api/v1/admin/audit", users_admin_audit, ROLE_ADMIN, 0, RATE_READ, BODY_NONE},
    {METHOD_POST, "/api/v1/_test/writes", ops_test_write, ROLE_ANON, ROUTE_TEST, RATE_NONE,
     BODY_JSON},
    {METHOD_GET, "/api/v1/_test/writes/{token}", ops_test_write_get, ROLE_ANON, ROUTE_TEST,
     RATE_NONE, BODY_NONE},
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);
