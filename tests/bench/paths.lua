-- wrk script for `make bench`: GET one of the paths listed in the file
-- BENCH_PATHS (one per line, e.g. /api/v1/recipes?sort=top_rated or a deep
-- page's /api/v1/recipes?cursor=...), picked at random for each request.
-- bench.sh writes the files: the lists' first pages, then the same lists'
-- deep pages through the cursors it walked to.
local paths = {}
for line in io.lines(os.getenv("BENCH_PATHS")) do
    if line ~= "" then
        paths[#paths + 1] = line
    end
end
dofile("tests/bench/seeded.lua")

function request()
    return wrk.format("GET", paths[math.random(1, #paths)])
end
