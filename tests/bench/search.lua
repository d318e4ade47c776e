-- wrk script for `make bench`: GET /api/v1/recipes?q=WORDS over a fixed set
-- of queries a person would type (single words and pairs from the food
-- vocabulary of gen-recipes.sql, common and rarer ones, and a few that
-- match little or nothing), picked at random for each request.
local queries = {
    "chicken", "garlic lemon", "chocolate cake", "pasta", "curry", "soup", "vegan",
    "salmon", "lentil soup", "banana bread", "apple crumble", "beef stew", "tofu stir-fry",
    "mushroom risotto", "spicy", "quick dinner", "lemon", "brownies", "halloumi",
    "sweet potato", "thai curry", "pumpkin", "blueberry muffins", "tomato", "pesto",
    "roasted cauliflower", "cheesecake", "prawn noodles", "lamb tagine", "ginger",
    "gluten-free", "pancakes", "smoky", "chickpea", "harissa", "rhubarb", "coconut",
    "feta salad", "paella", "weeknight", "pistachio", "mackerel", "kale", "honey",
    "bbq ribs", "sourdough", "porridge oats", "leek gratin", "chorizo", "scones",
}

local function encode(s)
    return (s:gsub("[^%w%-_.~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

local paths = {}
for i, q in ipairs(queries) do
    paths[i] = "/api/v1/recipes?q=" .. encode(q)
end

dofile("tests/bench/seeded.lua")

function request()
    return wrk.format("GET", paths[math.random(1, #paths)])
end
