-- wrk script for `make bench`: the most expensive search GET /api/v1/recipes
-- allows, as anonymous clients can send it: q plus 5 ingredient and 5
-- without values (the maximum of each), every value up to its 100
-- characters of the commonest food words of gen-recipes.sql and
-- gen-hostile.sql (so each word matches thousands of recipes and, before
-- migration 0006, each of the hostile account's 200,000 ingredient lines).
-- The words are drawn at random for each request from the same vocabulary.
-- BENCH_HOSTILE_CHARS (100) caps each value's length (12: about two words);
-- a value holds at most 6 words, the most the API allows (more is a 400).
local words = {
    "salt", "pepper", "oil", "sugar", "flour", "butter", "garlic", "cream", "milk", "eggs",
    "lemon", "chicken", "tomatoes", "onions", "rice", "stock", "olive", "sea", "black", "caster",
    "plain", "ground", "fresh", "chopped", "unsalted", "double", "whole", "vegetable", "baby",
    "basmati", "cloves", "juice", "thyme", "cumin", "spinach", "carrots",
}
local maxlen = tonumber(os.getenv("BENCH_HOSTILE_CHARS") or "") or 100
local maxwords = 6

local function encode(s)
    return (s:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

-- common words joined by spaces, at most maxlen characters
local function value()
    local parts, len = {}, 0
    while true do
        local w = words[math.random(1, #words)]
        if len + #w + 1 > maxlen or #parts == maxwords then break end
        parts[#parts + 1] = w
        len = len + #w + 1
    end
    return table.concat(parts, " ")
end

dofile("tests/bench/seeded.lua")

function request()
    local p = "/api/v1/recipes?q=" .. encode(value())
    for i = 1, 5 do
        p = p .. "&ingredient=" .. encode(value()) .. "&without=" .. encode(value())
    end
    return wrk.format("GET", p)
end
