<?php
// The PHP reference for GET /api/v1/recipes/{id} (`make bench`): PHP-FPM +
// PDO doing what tests/bench/recipe_ref.c does: the query recipebox runs,
// for an anonymous viewer, with a real prepared statement (no emulation) on a
// persistent connection, the three JSON columns decoded, the same JSON out.
// FastCGI parameters: RB_DB_SOCKET (the database's unix socket),
// RB_DB_PASSWORD (default "recipebox-dev"), RB_REF_QUERY ("aggregate": the
// arrays built from the child tables on every read, as recipe_ref.c).
const RECIPE_HEAD = <<<'SQL'
SELECT r.id, r.author_id, u.username, u.display_name, r.title, r.slug, r.description,
       r.servings, r.prep_minutes, r.cook_minutes, r.source_url, r.visibility, r.hidden,
       r.version, r.rating_sum, r.rating_count, r.favorite_count,
       DATE_FORMAT(r.created_at, '%Y-%m-%dT%H:%i:%sZ'), DATE_FORMAT(r.updated_at, '%Y-%m-%dT%H:%i:%sZ'),

SQL;
const RECIPE_TAIL = <<<'SQL'
       (SELECT g.stars FROM ratings g WHERE g.recipe_id = r.id AND g.user_id = ?),
       EXISTS (SELECT 1 FROM favorites f WHERE f.recipe_id = r.id AND f.user_id = ?)
FROM recipes r JOIN users u ON u.id = r.author_id
WHERE r.id = ? AND r.deleted_at IS NULL
SQL;
const STORED_CHILDREN = <<<'SQL'
       r.ingredients_json, r.steps_json, r.tags_json, r.image_key, r.image_json,

SQL;
const AGGREGATE_CHILDREN = <<<'SQL'
       (SELECT JSON_ARRAYAGG(JSON_OBJECT('section', i.section, 'quantity', CAST(i.quantity AS DOUBLE),
               'unit', i.unit, 'name', i.name, 'note', i.note) ORDER BY i.position)
          FROM recipe_ingredients i WHERE i.recipe_id = r.id),
       (SELECT JSON_ARRAYAGG(s.body ORDER BY s.position) FROM recipe_steps s WHERE s.recipe_id = r.id),
       (SELECT JSON_ARRAYAGG(t.name ORDER BY t.name) FROM recipe_tags rt JOIN tags t ON t.id = rt.tag_id
          WHERE rt.recipe_id = r.id),
       NULL, NULL,

SQL;

function reply(int $status, $body): void
{
    http_response_code($status);
    header('Content-Type: application/json; charset=utf-8');
    echo json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
}

function problem(int $status, string $title): void
{
    reply($status, ['status' => $status, 'title' => $title]);
}

$path = strtok($_SERVER['REQUEST_URI'] ?? '', '?');
if (($_SERVER['REQUEST_METHOD'] ?? '') !== 'GET'
    || !preg_match('~^/api/v1/recipes/([1-9][0-9]{0,17})$~', $path, $m)) {
    problem(404, 'Not Found');
    return;
}
$id = (int)$m[1];

try {
    $db = new PDO(
        'mysql:unix_socket=' . ($_SERVER['RB_DB_SOCKET'] ?? '') . ';dbname=recipebox;charset=utf8mb4',
        'recipebox',
        $_SERVER['RB_DB_PASSWORD'] ?? 'recipebox-dev',
        [
            PDO::ATTR_PERSISTENT => true,
            PDO::ATTR_EMULATE_PREPARES => false,
            PDO::ATTR_ERRMODE => PDO::ERRMODE_EXCEPTION,
        ]
    );
    $children = ($_SERVER['RB_REF_QUERY'] ?? '') === 'aggregate' ? AGGREGATE_CHILDREN : STORED_CHILDREN;
    $stmt = $db->prepare(RECIPE_HEAD . $children . RECIPE_TAIL);
    $stmt->execute([0, 0, $id]);
    $row = $stmt->fetch(PDO::FETCH_NUM);
    $stmt->closeCursor();
} catch (PDOException $e) {
    error_log('recipe_ref.php: ' . $e->getMessage());
    problem(503, 'Service Unavailable');
    return;
}
if ($row === false || $row[11] === 'private' || $row[12]) {
    problem(404, 'Not Found');
    return;
}

$count = (int)$row[15];
reply(200, [
    'id' => (int)$row[0],
    'slug' => $row[5],
    'title' => $row[4],
    'description' => $row[6],
    'author' => ['username' => $row[2], 'display_name' => $row[3]],
    'servings' => $row[7] === null ? null : (int)$row[7],
    'prep_minutes' => (int)$row[8],
    'cook_minutes' => (int)$row[9],
    'total_minutes' => (int)$row[8] + (int)$row[9],
    'source_url' => $row[10],
    'visibility' => $row[11],
    'hidden' => (bool)$row[12],
    'ingredients' => $row[19] === null ? [] : json_decode($row[19]),
    'steps' => $row[20] === null ? [] : json_decode($row[20]),
    'tags' => $row[21] === null ? [] : json_decode($row[21]),
    // as stored: recipebox makes URLs of it; the bench data has no images
    'image' => $row[23] === null ? null : json_decode($row[23]),
    'rating' => [
        'average' => $count > 0 ? round($row[14] / $count, 2) : null,
        'count' => $count,
    ],
    'favorite_count' => (int)$row[16],
    'created_at' => $row[17],
    'updated_at' => $row[18],
]);
