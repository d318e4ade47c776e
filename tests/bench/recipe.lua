-- wrk script for `make bench`: GET /api/v1/recipes/{id} with ids spread at
-- random over the generated recipes (1..BENCH_RECIPES, default 100,000).
-- Each wrk thread seeds its own generator, so threads do not repeat ids.
-- BENCH_AUTH, when set, is one "Name: value" header sent with every request
-- (a session cookie or an Authorization: Bearer token).
local auth = os.getenv("BENCH_AUTH")
if auth and auth ~= "" then
    local name, value = auth:match("^([^:]+):%s*(.*)$")
    wrk.headers[name] = value
end
local n = tonumber(os.getenv("BENCH_RECIPES") or "") or 100000
dofile("tests/bench/seeded.lua")

function request()
    return wrk.format("GET", "/api/v1/recipes/" .. math.random(1, n))
end
