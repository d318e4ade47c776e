-- Benchmark data for `make bench` (tests/bench/bench.sh): 100,000 public
-- recipes by 50 authors, written straight into the bench's private MariaDB
-- after `recipebox migrate up`. Run as the admin:
--     sh tests/support/mariadb.sh sql DIR < tests/bench/gen-recipes.sql
-- Not for production data and not through the API: it takes 15-20 s on two
-- cores (with the bench's 512M buffer pool) where the API would take hours.
--
-- bench.sh writes seq_1_to_100000 below as seq_1_to_N for BENCH_SCALE (10k,
-- 100k, 1m: 8 s, 90 s and 9 minutes on two busy cores; 1m needs the 4G
-- buffer pool bench.sh sets, and keeps mariadbd's temporary files out of
-- /tmp, see TMPDIR there).
-- Recipes get ids 1..N (the bench's Lua scripts pick ids in that range),
-- 5-11 ingredient lines (about 8), 4-8 steps (about 6) and 2-4 tags (about 3)
-- each; about 250 MB with the indexes. Titles and descriptions are made of a
-- vocabulary of real food words ("Smoky chicken traybake", "Lemon blueberry
-- muffins") so that FULLTEXT search has realistic selectivity: in natural
-- language mode a rare word ("halloumi", "pistachio") matches about 1.3% of
-- the recipes, a common one ("chicken") 4.5%, a very common one ("lemon")
-- 10%, a pair of words ("garlic lemon") up to 14%; "sourdough" matches none.
-- The recipe rows carry their children as JSON too (ingredients_json,
-- steps_json, tags_json) and their ingredient words (ingredient_words,
-- migration 0006), written here in the form recipebox writes them.
-- Every choice comes from MD5 of the row number, so two runs make the same
-- data. rating_sum/rating_count and favorite_count are set directly (no rows
-- in ratings or favorites): the bench reads them, nothing here checks them.
-- The vocabulary lives in a scratch database, rbgen, dropped at the end.
SET SESSION foreign_key_checks = 0;
SET SESSION unique_checks = 0;
-- the scratch tables' GROUP BYs and joins in memory, not in files in tmpdir
SET SESSION tmp_table_size = 1073741824, max_heap_table_size = 1073741824;

DROP DATABASE IF EXISTS rbgen;
CREATE DATABASE rbgen CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;
USE rbgen;

-- ---------------------------------------------------------------- vocabulary
-- main ingredients: the word in titles, kind s(avoury) or d(essert), and the
-- ingredient line it becomes (name, unit, quantity)
CREATE TABLE mains_in (
    id INT AUTO_INCREMENT PRIMARY KEY, kind CHAR(1), word VARCHAR(40),
    ing VARCHAR(60), unit VARCHAR(16), qty DECIMAL(10, 3));
INSERT INTO mains_in (kind, word, ing, unit, qty) VALUES
('s', 'chicken', 'chicken thighs', 'g', 600), ('s', 'chicken', 'chicken breasts', NULL, 2),
('s', 'beef', 'beef mince', 'g', 500), ('s', 'beef', 'braising steak', 'g', 800),
('s', 'pork', 'pork shoulder', 'g', 900), ('s', 'lamb', 'lamb shoulder', 'g', 900),
('s', 'lamb', 'lamb mince', 'g', 500), ('s', 'sausage', 'pork sausages', NULL, 6),
('s', 'bacon', 'smoked streaky bacon', 'g', 200), ('s', 'chorizo', 'cooking chorizo', 'g', 150),
('s', 'turkey', 'turkey breast', 'g', 500), ('s', 'duck', 'duck breasts', NULL, 2),
('s', 'salmon', 'salmon fillets', NULL, 4), ('s', 'cod', 'cod fillets', NULL, 4),
('s', 'haddock', 'smoked haddock', 'g', 400), ('s', 'mackerel', 'smoked mackerel', 'g', 250),
('s', 'tuna', 'tinned tuna', 'g', 160), ('s', 'prawn', 'raw king prawns', 'g', 300),
('s', 'mussel', 'live mussels', 'kg', 1), ('s', 'crab', 'white crab meat', 'g', 200),
('s', 'tofu', 'firm tofu', 'g', 400), ('s', 'halloumi', 'halloumi', 'g', 250),
('s', 'feta', 'feta', 'g', 200), ('s', 'paneer', 'paneer', 'g', 250),
('s', 'mushroom', 'chestnut mushrooms', 'g', 300), ('s', 'lentil', 'red lentils', 'g', 200),
('s', 'chickpea', 'tinned chickpeas', 'g', 400), ('s', 'bean', 'tinned black beans', 'g', 400),
('s', 'potato', 'floury potatoes', 'g', 800), ('s', 'sweet potato', 'sweet potatoes', NULL, 2),
('s', 'pumpkin', 'pumpkin', 'g', 700), ('s', 'squash', 'butternut squash', NULL, 1),
('s', 'spinach', 'baby spinach', 'g', 200), ('s', 'tomato', 'ripe tomatoes', 'g', 500),
('s', 'aubergine', 'aubergines', NULL, 2), ('s', 'courgette', 'courgettes', NULL, 2),
('s', 'cauliflower', 'cauliflower', NULL, 1), ('s', 'broccoli', 'tenderstem broccoli', 'g', 300),
('s', 'carrot', 'carrots', 'g', 400), ('s', 'leek', 'leeks', NULL, 2),
('s', 'pepper', 'red peppers', NULL, 3), ('s', 'sweetcorn', 'sweetcorn', 'g', 200),
('s', 'pea', 'frozen peas', 'g', 300), ('s', 'asparagus', 'asparagus', 'g', 250),
('s', 'beetroot', 'cooked beetroot', 'g', 300), ('s', 'fennel', 'fennel bulbs', NULL, 2),
('s', 'kale', 'curly kale', 'g', 200), ('s', 'cabbage', 'savoy cabbage', NULL, 1),
('s', 'onion', 'onions', NULL, 4), ('s', 'egg', 'eggs', NULL, 6),
('s', 'cheese', 'mature cheddar', 'g', 200), ('s', 'rice', 'basmati rice', 'g', 300),
('d', 'chocolate', 'dark chocolate', 'g', 200), ('d', 'chocolate', 'milk chocolate', 'g', 150),
('d', 'apple', 'cooking apples', NULL, 4), ('d', 'pear', 'pears', NULL, 4),
('d', 'banana', 'ripe bananas', NULL, 3), ('d', 'lemon', 'unwaxed lemons', NULL, 2),
('d', 'orange', 'oranges', NULL, 2), ('d', 'strawberry', 'strawberries', 'g', 400),
('d', 'blueberry', 'blueberries', 'g', 250), ('d', 'raspberry', 'raspberries', 'g', 250),
('d', 'cherry', 'cherries', 'g', 300), ('d', 'rhubarb', 'rhubarb', 'g', 400),
('d', 'plum', 'plums', NULL, 6), ('d', 'mango', 'ripe mangoes', NULL, 2),
('d', 'coconut', 'desiccated coconut', 'g', 100), ('d', 'almond', 'ground almonds', 'g', 150),
('d', 'hazelnut', 'blanched hazelnuts', 'g', 100), ('d', 'walnut', 'walnut halves', 'g', 100),
('d', 'pecan', 'pecans', 'g', 100), ('d', 'peanut butter', 'smooth peanut butter', 'g', 120),
('d', 'oat', 'rolled oats', 'g', 150), ('d', 'ginger', 'stem ginger', NULL, 3),
('d', 'carrot', 'grated carrots', 'g', 250), ('d', 'coffee', 'strong espresso', 'ml', 60),
('d', 'vanilla', 'vanilla pod', NULL, 1), ('d', 'pistachio', 'shelled pistachios', 'g', 75);

CREATE TABLE dishes_in (id INT AUTO_INCREMENT PRIMARY KEY, kind CHAR(1), word VARCHAR(40));
INSERT INTO dishes_in (kind, word) VALUES
('s', 'curry'), ('s', 'soup'), ('s', 'stew'), ('s', 'salad'), ('s', 'traybake'), ('s', 'pie'),
('s', 'tart'), ('s', 'risotto'), ('s', 'pasta bake'), ('s', 'tacos'), ('s', 'stir-fry'),
('s', 'casserole'), ('s', 'burgers'), ('s', 'sandwich'), ('s', 'noodles'), ('s', 'dumplings'),
('s', 'chilli'), ('s', 'gratin'), ('s', 'frittata'), ('s', 'skewers'), ('s', 'fritters'),
('s', 'lasagne'), ('s', 'quiche'), ('s', 'flatbreads'), ('s', 'biryani'), ('s', 'pilaf'),
('s', 'hash'), ('s', 'parcels'), ('s', 'kebabs'), ('s', 'galette'), ('s', 'tagine'),
('s', 'ramen'), ('s', 'paella'), ('s', 'pasta'), ('s', 'omelette'), ('s', 'wraps'),
('s', 'grain bowl'), ('s', 'pizza'), ('s', 'hotpot'), ('s', 'chowder'),
('d', 'cake'), ('d', 'muffins'), ('d', 'cookies'), ('d', 'pancakes'), ('d', 'crumble'),
('d', 'brownies'), ('d', 'cheesecake'), ('d', 'loaf'), ('d', 'tart'), ('d', 'pudding'),
('d', 'pie'), ('d', 'ice cream'), ('d', 'trifle'), ('d', 'flapjacks'), ('d', 'scones'),
('d', 'traybake'), ('d', 'galette'), ('d', 'cupcakes'), ('d', 'mousse'), ('d', 'porridge'),
('d', 'smoothie bowl'), ('d', 'granola'), ('d', 'crepes'), ('d', 'waffles'), ('d', 'fool');

CREATE TABLE mods_in (id INT AUTO_INCREMENT PRIMARY KEY, kind CHAR(1), word VARCHAR(40));
INSERT INTO mods_in (kind, word) VALUES
('s', 'garlic'), ('s', 'lemon'), ('s', 'honey'), ('s', 'ginger'), ('s', 'chilli'), ('s', 'smoky'),
('s', 'spicy'), ('s', 'creamy'), ('s', 'crispy'), ('s', 'herby'), ('s', 'roasted'),
('s', 'grilled'), ('s', 'slow-cooked'), ('s', 'quick'), ('s', 'easy'), ('s', 'classic'),
('s', 'rustic'), ('s', 'Thai'), ('s', 'Indian'), ('s', 'Mexican'), ('s', 'Italian'),
('s', 'Greek'), ('s', 'Moroccan'), ('s', 'Japanese'), ('s', 'Korean'), ('s', 'French'),
('s', 'Spanish'), ('s', 'sesame'), ('s', 'miso'), ('s', 'basil'), ('s', 'rosemary'),
('s', 'thyme'), ('s', 'paprika'), ('s', 'cumin'), ('s', 'sticky'), ('s', 'zesty'),
('s', 'one-pan'), ('s', 'weeknight'), ('s', 'summer'), ('s', 'winter'), ('s', 'harissa'),
('s', 'pesto'), ('s', 'coconut'), ('s', 'lime'), ('s', 'teriyaki'), ('s', 'peri-peri'),
('s', 'tandoori'), ('s', 'cajun'), ('s', 'buttery'), ('s', 'cheesy'),
('d', 'vanilla'), ('d', 'cinnamon'), ('d', 'honey'), ('d', 'lemon'), ('d', 'orange'),
('d', 'spiced'), ('d', 'sticky'), ('d', 'classic'), ('d', 'easy'), ('d', 'gluten-free'),
('d', 'vegan'), ('d', 'caramel'), ('d', 'brown butter'), ('d', 'chocolate'), ('d', 'ginger'),
('d', 'maple'), ('d', 'coconut'), ('d', 'almond'), ('d', 'fudgy'), ('d', 'crumbly'),
('d', 'lavender'), ('d', 'cardamom'), ('d', 'summer'), ('d', 'festive'), ('d', 'no-bake');

-- the rest of an ingredient list: name, unit, base quantity (NULL: "to taste")
CREATE TABLE ings (
    i INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(60), unit VARCHAR(16), qty DECIMAL(10, 3));
INSERT INTO ings (name, unit, qty) VALUES
('plain flour', 'g', 200), ('self-raising flour', 'g', 225), ('caster sugar', 'g', 100),
('light brown sugar', 'g', 100), ('unsalted butter', 'g', 100), ('olive oil', 'tbsp', 2),
('extra virgin olive oil', 'tbsp', 3), ('vegetable oil', 'tbsp', 2), ('sea salt', NULL, NULL),
('black pepper', NULL, NULL), ('garlic cloves', NULL, 3), ('onions', NULL, 2),
('red onion', NULL, 1), ('shallots', NULL, 3), ('fresh ginger', 'cm', 4), ('red chilli', NULL, 1),
('ground cumin', 'tsp', 1), ('smoked paprika', 'tsp', 1), ('ground coriander', 'tsp', 1),
('ground turmeric', 'tsp', 1), ('garam masala', 'tsp', 2), ('chilli flakes', 'tsp', 0.5),
('dried oregano', 'tsp', 1), ('fresh thyme', 'sprigs', 4), ('fresh rosemary', 'sprigs', 2),
('bay leaves', NULL, 2), ('fresh basil', 'g', 20), ('flat-leaf parsley', 'g', 20),
('fresh coriander', 'g', 15), ('fresh mint', 'g', 10), ('chives', 'g', 10),
('lemon juice', 'tbsp', 2), ('lime juice', 'tbsp', 2), ('soy sauce', 'tbsp', 3),
('fish sauce', 'tbsp', 1), ('runny honey', 'tbsp', 2), ('maple syrup', 'tbsp', 2),
('Dijon mustard', 'tsp', 2), ('tomato puree', 'tbsp', 2), ('chopped tomatoes', 'g', 400),
('chicken stock', 'ml', 500), ('vegetable stock', 'ml', 750), ('double cream', 'ml', 200),
('creme fraiche', 'g', 150), ('Greek yogurt', 'g', 150), ('whole milk', 'ml', 300),
('large eggs', NULL, 2), ('parmesan', 'g', 50), ('mozzarella', 'g', 125), ('mature cheddar', 'g', 100),
('panko breadcrumbs', 'g', 50), ('baking powder', 'tsp', 2), ('bicarbonate of soda', 'tsp', 0.5),
('vanilla extract', 'tsp', 1), ('ground cinnamon', 'tsp', 1), ('cocoa powder', 'g', 30),
('icing sugar', 'g', 50), ('ground almonds', 'g', 100), ('rolled oats', 'g', 100),
('basmati rice', 'g', 300), ('arborio rice', 'g', 300), ('spaghetti', 'g', 400), ('penne', 'g', 400),
('egg noodles', 'g', 250), ('flour tortillas', NULL, 8), ('pitta breads', NULL, 4),
('sesame oil', 'tsp', 1), ('sesame seeds', 'tbsp', 1), ('rice vinegar', 'tbsp', 1),
('red wine vinegar', 'tbsp', 1), ('dry white wine', 'ml', 150), ('red wine', 'ml', 250),
('coconut milk', 'ml', 400), ('tahini', 'tbsp', 2), ('harissa paste', 'tbsp', 1),
('white miso paste', 'tbsp', 1), ('capers', 'tbsp', 1), ('black olives', 'g', 75),
('spring onions', NULL, 4), ('celery sticks', NULL, 2), ('carrots', NULL, 2), ('red pepper', NULL, 1),
('frozen peas', 'g', 150), ('baby spinach', 'g', 100), ('cherry tomatoes', 'g', 250),
('new potatoes', 'g', 500), ('lemon zest', 'tsp', 1), ('golden syrup', 'tbsp', 2),
('dark muscovado sugar', 'g', 75), ('demerara sugar', 'tbsp', 2), ('cornflour', 'tbsp', 1),
('Worcestershire sauce', 'tsp', 2), ('sun-dried tomatoes', 'g', 60), ('pine nuts', 'g', 30),
('cream cheese', 'g', 180), ('mascarpone', 'g', 250), ('puff pastry', 'g', 320),
('shortcrust pastry', 'g', 320), ('frozen berries', 'g', 200), ('natural yogurt', 'g', 150);

CREATE TABLE notes (i INT AUTO_INCREMENT PRIMARY KEY, note VARCHAR(60));
INSERT INTO notes (note) VALUES
('finely chopped'), ('crushed'), ('at room temperature'), ('melted'), ('roughly chopped'),
('peeled and diced'), ('to serve'), ('optional'), ('drained and rinsed'), ('thinly sliced'),
('grated'), ('cut into chunks'), ('softened'), ('toasted'), ('halved'), ('beaten');

-- steps; {main} becomes the recipe's main ingredient line
CREATE TABLE steps_in (i INT AUTO_INCREMENT PRIMARY KEY, body VARCHAR(300));
INSERT INTO steps_in (body) VALUES
('Heat the oven to 200C (180C fan) and line a large baking tray with baking paper.'),
('Heat the oil in a large, heavy pan over a medium heat.'),
('Add the onions with a pinch of salt and cook gently for 8-10 minutes, stirring now and then, until soft and golden.'),
('Stir in the garlic and spices and cook for a minute more, until fragrant.'),
('Add the {main} and cook for 5 minutes, turning until browned all over.'),
('Pour in the stock, bring to the boil, then lower the heat and simmer for 20 minutes.'),
('Season well with salt and pepper, then taste and adjust with a squeeze of lemon.'),
('Scatter over the herbs and serve straight away with rice or crusty bread.'),
('Meanwhile, cook the pasta in a large pan of salted boiling water until al dente, then drain, keeping a mugful of the cooking water.'),
('Toss the {main} with the oil, salt and pepper, spread out on the tray and roast for 25-30 minutes until tender and charred at the edges.'),
('Whisk the dressing ingredients together in a small bowl.'),
('Cover and leave to marinate in the fridge for at least 30 minutes, or overnight.'),
('Cook under a hot grill for 4-5 minutes on each side until cooked through.'),
('Blend until smooth with a stick blender, adding a splash of water if it is too thick.'),
('Stir through the cream and warm gently without letting it boil.'),
('Spoon into a baking dish, top with the cheese and bake for 20 minutes until bubbling.'),
('Leave to rest for 10 minutes before slicing.'),
('Heat a wok until smoking, add the {main} and stir-fry for 3 minutes.'),
('Add the sauce and toss everything together until glossy and piping hot.'),
('Fold in the spinach and let it wilt for a minute.'),
('Divide between warm bowls and finish with a drizzle of oil.'),
('Preheat the oven to 180C (160C fan). Grease and line a 20cm round tin.'),
('Beat the butter and sugar together until pale and fluffy, about 3 minutes with an electric whisk.'),
('Beat in the eggs one at a time, adding a spoonful of flour with each.'),
('Fold in the flour and baking powder with a large metal spoon until just combined.'),
('Stir in the {main} and scrape the mixture into the tin.'),
('Bake for 35-40 minutes until risen and a skewer pushed into the middle comes out clean.'),
('Cool in the tin for 10 minutes, then turn out onto a wire rack to cool completely.'),
('Melt the chocolate and butter together in a bowl set over a pan of barely simmering water.'),
('Rub the butter into the flour with your fingertips until it looks like breadcrumbs.'),
('Arrange the {main} in the dish and scatter the crumble mixture over the top.'),
('Chill for at least 4 hours, or until set.'),
('Dust with icing sugar and serve with cream or ice cream.'),
('Store in an airtight container for up to 3 days.'),
('Bring a large pan of water to the boil and blanch the vegetables for 2 minutes, then plunge into iced water.'),
('Fry the {main} in batches so the pan is not crowded, then set aside on a plate.'),
('Deglaze the pan with the wine, scraping up the browned bits from the bottom.'),
('Return everything to the pan, cover and cook in the oven for 2 hours until meltingly tender.'),
('Knead the dough for 10 minutes until smooth and elastic, then cover and leave to rise for an hour.'),
('Roll out the pastry on a lightly floured surface to the thickness of a coin.'),
('Brush with beaten egg and bake for 25 minutes until golden and crisp.'),
('Whisk the eggs with the milk, season, and pour over the filling.'),
('Toast the nuts in a dry frying pan until golden, watching them closely.'),
('Mix the yogurt with the garlic, lemon juice and a pinch of salt.'),
('Warm the tortillas in a dry pan and fill with the {main}, salsa and herbs.'),
('Simmer the rice with the stock, stirring often, for 18-20 minutes until creamy.'),
('Taste for seasoning and loosen with a little more stock if needed.'),
('Let the flavours mingle for a few minutes off the heat before serving.');

CREATE TABLE sentences (i INT AUTO_INCREMENT PRIMARY KEY, s VARCHAR(200));
INSERT INTO sentences (s) VALUES
('Ready in under an hour, it makes a good weeknight dinner.'),
('Everything can be prepared a day ahead and reheated gently.'),
('Leftovers keep in the fridge for up to three days.'),
('Serve it with a green salad and crusty bread.'),
('A family favourite that children and grown-ups both enjoy.'),
('The sauce thickens as it cools, so loosen it with a splash of water.'),
('Double the quantities and freeze half for another day.'),
('Use whatever fresh herbs you have to hand.'),
('It travels well, which makes it good for picnics and packed lunches.'),
('Toast the spices first for a deeper flavour.'),
('Season generously and taste before serving.'),
('Adapted from a recipe my grandmother made every Sunday.'),
('A light dish that works as a starter or a main course.'),
('Swap the dairy for a plant-based alternative to make it vegan.'),
('Best eaten warm, straight from the oven.'),
('Cheap to make and easy to scale up for a crowd.'),
('The secret is to cook it low and slow.'),
('Make sure everything is at room temperature before you start.'),
('A bright, fresh take on a much-loved classic.'),
('Perfect for using up what is left in the fridge at the end of the week.'),
('Crisp on the outside and soft in the middle.'),
('Rich and warming, ideal for a cold evening.'),
('Simple enough for beginners, with results that look impressive.'),
('Make it in the morning and it is ready when you get home.'),
('A crowd-pleaser at birthday parties and bake sales.'),
('Great with a dollop of yogurt and a handful of toasted seeds.'),
('The leftovers are even better the next day.'),
('We make this every summer when the markets are full.'),
('Naturally gluten-free and full of flavour.'),
('Serve with steamed greens for a complete meal.');

CREATE TABLE first_names (i INT AUTO_INCREMENT PRIMARY KEY, n VARCHAR(20));
INSERT INTO first_names (n) VALUES
('Amelia'), ('Oliver'), ('Isla'), ('George'), ('Ava'), ('Noah'), ('Mia'), ('Arthur'), ('Ivy'),
('Leo'), ('Freya'), ('Oscar'), ('Lily'), ('Theo'), ('Rosie'), ('Jack'), ('Grace'), ('Henry'),
('Sophia'), ('Charlie'), ('Ella'), ('Finn'), ('Ruby'), ('Alfie'), ('Chloe'), ('Omar'), ('Priya'),
('Mateo'), ('Yuki'), ('Amara'), ('Lucas'), ('Zara'), ('Hugo'), ('Nina'), ('Felix'), ('Maya'),
('Samir'), ('Elena'), ('Tomas'), ('Aisha'), ('Ravi'), ('Ingrid'), ('Kofi'), ('Lucia'), ('Dmitri'),
('Hana'), ('Pablo'), ('Sofia'), ('Tariq'), ('Wen');
CREATE TABLE last_names (i INT AUTO_INCREMENT PRIMARY KEY, n VARCHAR(20));
INSERT INTO last_names (n) VALUES
('Smith'), ('Jones'), ('Taylor'), ('Brown'), ('Williams'), ('Wilson'), ('Evans'), ('Thomas'),
('Roberts'), ('Walker'), ('Wright'), ('Patel'), ('Khan'), ('Garcia'), ('Rossi'), ('Muller'),
('Novak'), ('Silva'), ('Kim'), ('Nguyen'), ('Okafor'), ('Mensah'), ('Haddad'), ('Larsen'),
('Moreau'), ('Costa'), ('Ivanova'), ('Tanaka'), ('Chen'), ('Singh'), ('Murphy'), ('Kelly'),
('Byrne'), ('Price'), ('Hughes'), ('Lewis'), ('Morgan'), ('Reyes'), ('Cohen'), ('Ali'), ('Dubois'),
('Berg'), ('Fischer'), ('Santos'), ('Petrov'), ('Ahmed'), ('Lopez'), ('Martin'), ('Clarke'), ('Ward');

CREATE TABLE tag_names (i INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(40));
INSERT INTO tag_names (name) VALUES
('vegetarian'), ('vegan'), ('gluten-free'), ('dairy-free'), ('quick'), ('easy'), ('weeknight'),
('make-ahead'), ('freezer-friendly'), ('one-pot'), ('budget'), ('healthy'), ('comfort-food'),
('breakfast'), ('brunch'), ('lunch'), ('dinner'), ('dessert'), ('baking'), ('snack'),
('side-dish'), ('starter'), ('soup'), ('salad'), ('bbq'), ('summer'), ('winter'), ('autumn'),
('spring'), ('christmas'), ('party'), ('kids'), ('italian'), ('indian'), ('mexican'), ('thai'),
('chinese'), ('japanese'), ('french'), ('greek'), ('moroccan'), ('spanish'), ('middle-eastern'),
('american'), ('british');

-- kind-indexed copies: i runs 0..n-1 within each kind
CREATE TABLE dishes (kind CHAR(1), i INT, word VARCHAR(40), PRIMARY KEY (kind, i))
    SELECT kind, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY id) - 1 AS i, word FROM dishes_in;
CREATE TABLE mods (kind CHAR(1), i INT, word VARCHAR(40), PRIMARY KEY (kind, i))
    SELECT kind, ROW_NUMBER() OVER (PARTITION BY kind ORDER BY id) - 1 AS i, word FROM mods_in;
CREATE TABLE kinds (kind CHAR(1) PRIMARY KEY, n_dishes INT, n_mods INT)
    SELECT d.kind, d.n AS n_dishes, (SELECT COUNT(*) FROM mods o WHERE o.kind = d.kind) AS n_mods
    FROM (SELECT kind, COUNT(*) AS n FROM dishes GROUP BY kind) d;

SET @n_mains = (SELECT COUNT(*) FROM mains_in);
SET @n_ings = (SELECT COUNT(*) FROM ings);
SET @n_notes = (SELECT COUNT(*) FROM notes);
SET @n_steps = (SELECT COUNT(*) FROM steps_in);
SET @n_sent = (SELECT COUNT(*) FROM sentences);
SET @n_tags = (SELECT COUNT(*) FROM tag_names);
-- strides that visit distinct rows: coprime with the table sizes
SET @ing_stride = IF(@n_ings % 7 = 0, 11, 7);
SET @step_stride = IF(@n_steps % 5 = 0, 7, 5);
SET @tag_stride = IF(@n_tags % 7 = 0, 11, 7);

-- ------------------------------------------------------------------- authors
INSERT INTO recipebox.users (username, username_norm, email, email_norm, display_name,
                             password_hash, role, status, created_at)
SELECT LOWER(CONCAT(f.n, '_', l.n)), LOWER(CONCAT(f.n, '_', l.n)),
       LOWER(CONCAT(f.n, '.', l.n, '@example.org')), LOWER(CONCAT(f.n, '.', l.n, '@example.org')),
       CONCAT(f.n, ' ', l.n), '!bench-no-login', 'user', 'active',
       TIMESTAMP('2019-06-01') + INTERVAL f.i DAY
FROM first_names f JOIN last_names l ON l.i = 1 + (f.i * 7) % 50;
CREATE TABLE authors (i INT PRIMARY KEY, user_id BIGINT UNSIGNED)
    SELECT ROW_NUMBER() OVER (ORDER BY id) - 1 AS i, id AS user_id
    FROM recipebox.users WHERE password_hash = '!bench-no-login';
SET @n_authors = (SELECT COUNT(*) FROM authors);

INSERT INTO recipebox.tags (name) SELECT name FROM tag_names ORDER BY i;
CREATE TABLE tag_ids (i INT PRIMARY KEY, tag_id BIGINT UNSIGNED)
    SELECT n.i - 1 AS i, t.id AS tag_id FROM tag_names n JOIN recipebox.tags t ON t.name = n.name;

-- ---------------------------------------------------------------------- plan
-- every random choice of a recipe, from two MD5s of its number (8 x 32 bits)
CREATE TABLE rnd (id INT PRIMARY KEY, r1 BIGINT, r2 BIGINT, r3 BIGINT, r4 BIGINT,
                  r5 BIGINT, r6 BIGINT, r7 BIGINT, r8 BIGINT)
SELECT seq AS id,
       CONV(SUBSTR(m, 1, 8), 16, 10) AS r1, CONV(SUBSTR(m, 9, 8), 16, 10) AS r2,
       CONV(SUBSTR(m, 17, 8), 16, 10) AS r3, CONV(SUBSTR(m, 25, 8), 16, 10) AS r4,
       CONV(SUBSTR(n, 1, 8), 16, 10) AS r5, CONV(SUBSTR(n, 9, 8), 16, 10) AS r6,
       CONV(SUBSTR(n, 17, 8), 16, 10) AS r7, CONV(SUBSTR(n, 25, 8), 16, 10) AS r8
FROM (SELECT seq, MD5(CONCAT('a', seq)) AS m, MD5(CONCAT('b', seq)) AS n
      FROM seq_1_to_100000) x;

CREATE TABLE plan (
    id INT PRIMARY KEY, main_id INT, kind CHAR(1), dish_i INT, mod1_i INT, mod2_i INT, mod3_i INT,
    pattern INT, ing_a INT, ing_b INT, sent1 INT, sent2 INT, n_ing INT, n_steps INT, n_tags INT,
    ing_base INT, step_base INT, tag_base INT, author_i INT, servings INT, prep INT, cook INT,
    rating_count INT, rating_sum INT, favs INT, age_min INT, edit_min INT, has_source INT,
    sauce INT)
SELECT h.id, mi.id AS main_id, mi.kind,
       h.r2 % k.n_dishes AS dish_i,
       h.r3 % k.n_mods AS mod1_i,
       (h.r3 % k.n_mods + 1 + h.r4 % (k.n_mods - 1)) % k.n_mods AS mod2_i, -- not mod1
       (h.r5 >> 8) % k.n_mods AS mod3_i,
       h.r4 % 4 AS pattern,
       h.r5 % @n_ings AS ing_a,
       (h.r5 % @n_ings + 1 + h.r6 % (@n_ings - 1)) % @n_ings AS ing_b,
       h.r6 % @n_sent AS sent1,
       (h.r6 % @n_sent + 1 + h.r7 % (@n_sent - 1)) % @n_sent AS sent2,
       4 + h.r7 % 7 AS n_ing,          -- 4..10 besides the main one: about 8 lines
       4 + h.r8 % 5 AS n_steps,        -- 4..8, about 6
       2 + (h.r8 >> 4) % 3 AS n_tags,  -- 2..4, about 3
       (h.r1 >> 8) % @n_ings AS ing_base,
       (h.r2 >> 8) % @n_steps AS step_base,
       (h.r3 >> 12) % @n_tags AS tag_base,
       (h.r7 >> 8) % @n_authors AS author_i,
       IF((h.r8 >> 8) % 10 = 0, NULL, 1 + (h.r8 >> 12) % 8) AS servings,
       5 * (1 + (h.r1 >> 16) % 9) AS prep,
       5 * ((h.r2 >> 16) % 37) AS cook,
       IF((h.r4 >> 8) % 3 = 0, 0, 1 + (h.r4 >> 12) % 40) AS rating_count,
       -- averages between 3 and 5 stars
       ROUND(IF((h.r4 >> 8) % 3 = 0, 0, 1 + (h.r4 >> 12) % 40)
             * (3 + ((h.r6 >> 16) % 201) / 100)) AS rating_sum,
       (h.r5 >> 16) % 60 AS favs,
       (h.r6 >> 8) % (4 * 365 * 1440) AS age_min,
       IF((h.r7 >> 16) % 4 = 0, (h.r8 >> 16) % 20000, 0) AS edit_min,
       (h.r3 >> 20) % 5 = 0 AS has_source,
       (h.r2 >> 24) % 10 = 0 AS sauce
FROM rnd h
JOIN mains_in mi ON mi.id = 1 + h.r1 % @n_mains
JOIN kinds k ON k.kind = mi.kind;

-- titles ("Smoky chicken traybake", "Lemon blueberry muffins", "Chicken curry")
-- and two-sentence descriptions naming the main ingredients
CREATE TABLE texts (id INT PRIMARY KEY, title VARCHAR(200), description TEXT)
SELECT id, CONCAT(UPPER(LEFT(t, 1)), SUBSTRING(t, 2)) AS title, description
FROM (SELECT p.id,
             CASE
             WHEN p.pattern = 2 THEN CONCAT(mi.word, ' ', d.word)
             WHEN p.pattern = 1 AND m1.word <> mi.word AND m2.word <> mi.word
                 THEN CONCAT(m1.word, ' ', m2.word, ' ', mi.word, ' ', d.word)
             ELSE CONCAT(IF(m1.word = mi.word, m2.word, m1.word), ' ', mi.word, ' ', d.word)
             END AS t,
             CONCAT(UPPER(LEFT(m3.word, 1)), SUBSTRING(m3.word, 2), ' ', d.word, ' made with ',
                    mi.ing, ', ', ia.name, ' and ', ib.name, '. ', s1.s, ' ', s2.s) AS description
      FROM plan p
      JOIN mains_in mi ON mi.id = p.main_id
      JOIN dishes d ON d.kind = p.kind AND d.i = p.dish_i
      JOIN mods m1 ON m1.kind = p.kind AND m1.i = p.mod1_i
      JOIN mods m2 ON m2.kind = p.kind AND m2.i = p.mod2_i
      JOIN mods m3 ON m3.kind = p.kind AND m3.i = p.mod3_i
      JOIN ings ia ON ia.i = 1 + p.ing_a
      JOIN ings ib ON ib.i = 1 + p.ing_b
      JOIN sentences s1 ON s1.i = 1 + p.sent1
      JOIN sentences s2 ON s2.i = 1 + p.sent2) x;

-- ------------------------------------------------------------------ children
-- staged first: the recipe row keeps them as JSON too (ingredients_json,
-- steps_json, tags_json, migration 0004), in the form recipebox writes them

-- about 8 ingredient lines: the main one first, then distinct others
CREATE TABLE ing_rows (
    recipe_id INT, position INT, section VARCHAR(100), quantity DECIMAL(10, 3),
    unit VARCHAR(32), name VARCHAR(200), note VARCHAR(200), PRIMARY KEY (recipe_id, position))
SELECT id AS recipe_id, pos AS position, section,
       CASE WHEN base IS NULL THEN NULL
            WHEN unit IS NULL THEN GREATEST(1, ROUND(base * factor))
            ELSE base * factor END AS quantity,
       unit, name, note
FROM (SELECT p.id, k.seq AS pos,
             IF(p.sauce AND k.seq > p.n_ing - 1, 'For the sauce', NULL) AS section,
             IF(k.seq = 1, mi.ing, g.name) AS name,
             IF(k.seq = 1, mi.unit, g.unit) AS unit,
             IF(k.seq = 1, mi.qty, g.qty) AS base,
             ELT(1 + (p.ing_base + k.seq * 5) % 4, 0.5, 1, 1, 2) AS factor,
             n.note
      FROM plan p
      JOIN seq_1_to_11 k ON k.seq <= p.n_ing + 1
      JOIN mains_in mi ON mi.id = p.main_id
      LEFT JOIN ings g ON k.seq > 1 AND g.i = 1 + (p.ing_base + (k.seq - 2) * @ing_stride) % @n_ings
      LEFT JOIN notes n ON (p.id * 7 + k.seq * 3) % 4 = 0
                       AND n.i = 1 + (p.step_base + k.seq) % @n_notes) x;

-- about 6 steps
CREATE TABLE step_rows (recipe_id INT, position INT, body VARCHAR(400),
                        PRIMARY KEY (recipe_id, position))
SELECT p.id AS recipe_id, k.seq AS position, REPLACE(st.body, '{main}', mi.ing) AS body
FROM plan p
JOIN seq_1_to_8 k ON k.seq <= p.n_steps
JOIN mains_in mi ON mi.id = p.main_id
JOIN steps_in st ON st.i = 1 + (p.step_base + (k.seq - 1) * @step_stride) % @n_steps;

-- about 3 distinct tags
CREATE TABLE tag_rows (recipe_id INT, tag_id BIGINT UNSIGNED,
                       name VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin,
                       PRIMARY KEY (recipe_id, tag_id))
SELECT p.id AS recipe_id, t.tag_id, n.name
FROM plan p
JOIN seq_1_to_4 k ON k.seq <= p.n_tags
JOIN tag_ids t ON t.i = (p.tag_base + (k.seq - 1) * @tag_stride) % @n_tags
JOIN tag_names n ON n.i = t.i + 1;

-- the JSON copies, compact as json-c writes them: every ingredient member
-- present (null when absent), quantities as stored ("0.5", "200"), steps in
-- order, tags sorted
CREATE TABLE ing_json (recipe_id INT PRIMARY KEY, j MEDIUMTEXT)
SELECT recipe_id,
       CONCAT('[', GROUP_CONCAT(CONCAT(
           '{"section":', IFNULL(JSON_QUOTE(section), 'null'),
           ',"quantity":', IFNULL(TRIM(TRAILING '.' FROM TRIM(TRAILING '0' FROM quantity)), 'null'),
           ',"unit":', IFNULL(JSON_QUOTE(unit), 'null'),
           ',"name":', JSON_QUOTE(name),
           ',"note":', IFNULL(JSON_QUOTE(note), 'null'), '}')
           ORDER BY position SEPARATOR ','), ']') AS j
FROM ing_rows GROUP BY recipe_id;
CREATE TABLE step_json (recipe_id INT PRIMARY KEY, j MEDIUMTEXT)
SELECT recipe_id, CONCAT('[', GROUP_CONCAT(JSON_QUOTE(body) ORDER BY position SEPARATOR ','), ']') AS j
FROM step_rows GROUP BY recipe_id;
-- the distinct words of the ingredient names, as migration 0006's backfill
-- makes them (and recipebox writes them)
CREATE TABLE ing_words (recipe_id INT PRIMARY KEY, w MEDIUMTEXT)
SELECT p.id AS recipe_id, COALESCE((
    SELECT GROUP_CONCAT(DISTINCT j.word COLLATE utf8mb4_bin
                        ORDER BY j.word COLLATE utf8mb4_bin SEPARATOR ' ')
    FROM ing_rows i,
         JSON_TABLE(CONCAT('["', REPLACE(TRIM(REGEXP_REPLACE(LOWER(i.name),
                        '[^0-9a-z_\\x{80}-\\x{10ffff}]+', ' ')), ' ', '","'), '"]'),
                    '$[*]' COLUMNS (word VARCHAR(200) PATH '$')) j
    WHERE i.recipe_id = p.id AND j.word <> ''), '') AS w
FROM plan p;
CREATE TABLE tag_json (recipe_id INT PRIMARY KEY, j VARCHAR(1000))
SELECT recipe_id, CONCAT('[', GROUP_CONCAT(JSON_QUOTE(name) ORDER BY name SEPARATOR ','), ']') AS j
FROM tag_rows GROUP BY recipe_id;

-- ------------------------------------------------------------------- recipes
INSERT INTO recipebox.recipes (id, author_id, title, slug, description, servings, prep_minutes,
                               cook_minutes, source_url, visibility, hidden, version, rating_sum,
                               rating_count, favorite_count, ingredients_json, steps_json,
                               tags_json, ingredient_words, created_at, updated_at)
SELECT p.id, a.user_id, t.title, s.slug, t.description, p.servings, p.prep, p.cook,
       IF(p.has_source, CONCAT('https://www.example.org/recipes/', p.id, '-', s.slug), NULL),
       'public', 0, IF(p.edit_min > 0, 2, 1), p.rating_sum, p.rating_count, p.favs,
       ij.j, sj.j, tj.j, iw.w,
       TIMESTAMP('2021-01-01') + INTERVAL p.age_min MINUTE,
       TIMESTAMP('2021-01-01') + INTERVAL (p.age_min + p.edit_min) MINUTE
FROM plan p
JOIN texts t ON t.id = p.id
JOIN (SELECT id, LEFT(TRIM(BOTH '-' FROM REGEXP_REPLACE(LOWER(title), '[^a-z0-9]+', '-')), 80)
             AS slug FROM texts) s ON s.id = p.id
JOIN authors a ON a.i = p.author_i
JOIN ing_json ij ON ij.recipe_id = p.id
JOIN step_json sj ON sj.recipe_id = p.id
JOIN tag_json tj ON tj.recipe_id = p.id
JOIN ing_words iw ON iw.recipe_id = p.id
ORDER BY p.id;

INSERT INTO recipebox.recipe_ingredients (recipe_id, position, section, quantity, unit, name, note)
SELECT recipe_id, position, section, quantity, unit, name, note FROM ing_rows
ORDER BY recipe_id, position;
INSERT INTO recipebox.recipe_steps (recipe_id, position, body)
SELECT recipe_id, position, body FROM step_rows ORDER BY recipe_id, position;
INSERT INTO recipebox.recipe_tags (recipe_id, tag_id)
SELECT recipe_id, tag_id FROM tag_rows ORDER BY recipe_id, tag_id;

DROP DATABASE rbgen;
USE recipebox;
ANALYZE TABLE users, recipes, recipe_ingredients, recipe_steps, tags, recipe_tags;
