-- wrk script for tests/bench/cache.sh: anonymous GET /api/v1/recipes/{id}
-- over the BENCH_CACHE_HOT (1,000) first recipes at random. No response()
-- callback: reading every answer's headers in Lua would cost wrk more CPU
-- than nginx spends answering from its cache (cache.sh counts the hits from
-- what reached the app instead).
local hot = tonumber(os.getenv("BENCH_CACHE_HOT") or "") or 1000

dofile("tests/bench/seeded.lua")

function request()
    return wrk.format("GET", "/api/v1/recipes/" .. math.random(1, hot))
end
