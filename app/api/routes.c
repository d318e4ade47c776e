/* The route table: every endpoint of the API, its minimum role, CSRF need,
 * rate-limit class and body kind. Reading this file shows the whole API. */
#include "api/routes.h"

#include "api/auth.h"
#include "api/comments.h"
#include "api/images.h"
#include "api/jobs_admin.h"
#include "api/ops.h"
#include "api/recipe_actions.h"
#include "api/recipe_lists.h"
#include "api/recipes.h"
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
    {METHOD_POST, "/api/v1/auth/register", auth_register, ROLE_ANON, 0, RATE_REGISTER, BODY_JSON},
    {METHOD_POST, "/api/v1/auth/login", auth_login, ROLE_ANON, 0, RATE_AUTH, BODY_JSON},
    {METHOD_POST, "/api/v1/auth/logout", auth_logout, ROLE_USER, ROUTE_CSRF, RATE_WRITE, BODY_NONE},
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
    {METHOD_GET, "/api/v1/admin/jobs", jobs_admin_list, ROLE_ADMIN, 0, RATE_READ, BODY_NONE},
    {METHOD_POST, "/api/v1/_test/jobs", jobs_admin_test_enqueue, ROLE_ANON, ROUTE_TEST, RATE_NONE,
     BODY_JSON},
    {METHOD_GET, "/api/v1/openapi.json", ops_openapi, ROLE_ANON, 0, RATE_READ, BODY_NONE},
    {METHOD_GET, "/api/v1/recipes", recipe_lists_index, ROLE_ANON, 0, RATE_SEARCH, BODY_NONE},
    {METHOD_POST, "/api/v1/recipes", recipes_create, ROLE_USER, ROUTE_CSRF, RATE_RECIPE, BODY_JSON},
    {METHOD_GET, "/api/v1/recipes/{id}", recipes_show, ROLE_ANON, 0, RATE_READ, BODY_NONE},
    {METHOD_PUT, "/api/v1/recipes/{id}", recipes_replace, ROLE_USER, ROUTE_CSRF, RATE_RECIPE,
     BODY_JSON},
    {METHOD_PATCH, "/api/v1/recipes/{id}", recipes_patch, ROLE_USER, ROUTE_CSRF, RATE_RECIPE,
     BODY_MERGE_PATCH},
    {METHOD_DELETE, "/api/v1/recipes/{id}", recipes_delete, ROLE_USER, ROUTE_CSRF, RATE_WRITE,
     BODY_NONE},
    {METHOD_PUT, "/api/v1/recipes/{id}/rating", recipe_actions_rate, ROLE_USER, ROUTE_CSRF,
     RATE_RATING, BODY_JSON},
    {METHOD_DELETE, "/api/v1/recipes/{id}/rating", recipe_actions_unrate, ROLE_USER, ROUTE_CSRF,
     RATE_RATING, BODY_NONE},
    {METHOD_PUT, "/api/v1/recipes/{id}/favorite", recipe_actions_favorite, ROLE_USER, ROUTE_CSRF,
     RATE_RATING, BODY_NONE},
    {METHOD_DELETE, "/api/v1/recipes/{id}/favorite", recipe_actions_unfavorite, ROLE_USER,
     ROUTE_CSRF, RATE_RATING, BODY_NONE},
    {METHOD_POST, "/api/v1/recipes/{id}/hide", recipe_actions_hide, ROLE_MODERATOR, ROUTE_CSRF,
     RATE_WRITE, BODY_NONE},
    {METHOD_DELETE, "/api/v1/recipes/{id}/hide", recipe_actions_unhide, ROLE_MODERATOR, ROUTE_CSRF,
     RATE_WRITE, BODY_NONE},
    {METHOD_PUT, "/api/v1/recipes/{id}/image", images_put, ROLE_USER, ROUTE_CSRF, RATE_UPLOAD,
     BODY_RAW},
    {METHOD_DELETE, "/api/v1/recipes/{id}/image", images_delete, ROLE_USER, ROUTE_CSRF, RATE_WRITE,
     BODY_NONE},
    {METHOD_GET, "/api/v1/recipes/{id}/comments", comments_index, ROLE_ANON, 0, RATE_READ,
     BODY_NONE},
    {METHOD_POST, "/api/v1/recipes/{id}/comments", comments_create, ROLE_USER, ROUTE_CSRF,
     RATE_COMMENT, BODY_JSON},
    {METHOD_DELETE, "/api/v1/comments/{id}", comments_delete, ROLE_USER, ROUTE_CSRF, RATE_WRITE,
     BODY_NONE},
    {METHOD_POST, "/api/v1/comments/{id}/hide", comments_hide, ROLE_MODERATOR, ROUTE_CSRF,
     RATE_WRITE, BODY_NONE},
    {METHOD_DELETE, "/api/v1/comments/{id}/hide", comments_unhide, ROLE_MODERATOR, ROUTE_CSRF,
     RATE_WRITE, BODY_NONE},
    {METHOD_GET, "/api/v1/tags", recipe_lists_tags, ROLE_ANON, 0, RATE_READ, BODY_NONE},
    {METHOD_GET, "/api/v1/users/{username}/recipes", recipe_lists_by_user, ROLE_ANON, 0, RATE_READ,
     BODY_NONE},
    {METHOD_GET, "/api/v1/me/favorites", recipe_lists_favorites, ROLE_USER, 0, RATE_READ,
     BODY_NONE},
    {METHOD_POST, "/api/v1/_test/writes", ops_test_write, ROLE_ANON, ROUTE_TEST, RATE_NONE,
     BODY_JSON},
    {METHOD_GET, "/api/v1/_test/writes/{token}", ops_test_write_get, ROLE_ANON, ROUTE_TEST,
     RATE_NONE, BODY_NONE},
};

const size_t routes_count = sizeof(routes_table) / sizeof(routes_table[0]);
