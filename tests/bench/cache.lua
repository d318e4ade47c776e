-- wrk script for tests/bench/cache.sh: anonymous GET /api/v1/recipes/{id}
-- over the BENCH_CACHE_HOT (1,000) first recipes at random, counting the
-- answers a cache gave (X-Cache-Status: HIT); done() prints
-- "cache: HITS ANSWERS" (a front without the header counts no hits).
local hot = tonumber(os.getenv("BENCH_CACHE_HOT") or "") or 1000
local threads = {}

function setup(thread)
    table.insert(threads, thread)
    thread:set("seed", #threads)
end

function init(args)
    math.randomseed(os.time() * 1000 + (seed or 0) * 7919)
    hits = 0
    answers = 0
end

function request()
    return wrk.format("GET", "/api/v1/recipes/" .. math.random(1, hot))
end

function response(status, headers, body)
    answers = answers + 1
    if headers["X-Cache-Status"] == "HIT" then
        hits = hits + 1
    end
end

function done(summary, latency, requests)
    local h, n = 0, 0
    for _, t in ipairs(threads) do
        h = h + (t:get("hits") or 0)
        n = n + (t:get("answers") or 0)
    end
    io.write(string.format("cache: %d %d\n", h, n))
end
