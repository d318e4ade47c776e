-- Shared by the wrk scripts of `make bench` (loaded with dofile; wrk runs
-- from the repository's root): each wrk thread seeds its own random
-- generator, so that the threads do not send the same sequence.
local threads = 0

function setup(thread)
    threads = threads + 1
    thread:set("seed", threads)
end

function init(args)
    math.randomseed(os.time() * 1000 + (seed or 0) * 7919)
end
