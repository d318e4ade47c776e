# The OpenAPI document the binary serves (jq -f served-spec.jq
# docs/openapi.json; tests/support/embed.sh runs it for the Makefile):
# docs/openapi.json without what only the tests use. docs/openapi.yaml keeps
# the test-only routes ([server] test_routes) so that the integration
# suites' answers from them are validated, but a reader of /docs/ must never
# see them: every operation marked x-test-only is dropped, a path left with
# no operation goes with it, and so does anything under /api/v1/_test/ even
# if its mark was forgotten. x-not-validated (the validator's probe urls)
# goes too.
def methods: ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
del(.["x-not-validated"])
| .paths |= with_entries(
    select(.key | startswith("/api/v1/_test/") | not)
    | .value |= with_entries(
        select(.key as $k | (methods | index($k)) == null or (.value["x-test-only"] // false) != true))
    | select(.value | keys | any(. as $k | methods | index($k) != null)))
