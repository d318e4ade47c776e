#!/bin/sh
# Demo data for `make run` (tests/support/run.sh calls this once the stack
# answers; it is not for production). Through the CLI and the public API
# only, so what it makes is what a client would make:
#   - users alice, bob, carol (role user), mod (moderator), admin (admin),
#     all with the password $RB_DEMO_PASSWORD (default: demo-password);
#   - the recipes of sql/seed/recipes.jsonl (one POST /api/v1/recipes body a
#     line), dealt in turn to alice, bob and carol;
#   - ratings, favorites and comments on them by the two other users.
# It does nothing when GET /api/v1/recipes already lists a recipe, so a wiped
# database is seeded again on the next start and a used one is left alone.
#
#   seed.sh BASE_URL CONFIG     e.g. seed.sh http://127.0.0.1:8080 var/recipebox.conf
#
# Exit status: 0 seeded or already seeded, 1 something failed (printed),
# 3 the recipes API is not there (GET /api/v1/recipes is not 200): the
# users are made, nothing else.
# POSIX sh + curl + sed; no jq. A handful of curl processes in all: each
# batch of requests is one curl run (a config file with `next`), on one
# keep-alive connection.
set -eu
[ $# -eq 2 ] || { echo "usage: seed.sh BASE_URL CONFIG" >&2; exit 2; }
base=$1
conf=$2
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=$here/recipes.jsonl
bin=${RECIPEBOX:-$root/recipebox}
pw=${RB_DEMO_PASSWORD:-demo-password}
authors="alice bob carol"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# already seeded? (a list with a recipe in it)
code=$(curl -s -m 5 -o "$tmp/list" -w '%{http_code}' "$base/api/v1/recipes?limit=1" || true)
if [ "$code" = 200 ] && ! grep -q '"items":\[\]' "$tmp/list"; then
    echo "seed: recipes present; demo data not loaded again"
    exit 0
fi

# users, through the CLI (the password comes on stdin); one that exists stays
add_user() { # NAME ROLE DISPLAY
    if printf '%s\n' "$pw" | "$bin" user add "$1" --email "$1@example.org" --role "$2" \
        --display-name "$3" -c "$conf" > /dev/null 2> "$tmp/err"; then
        return 0
    fi
    grep -q 'already registered' "$tmp/err" && return 0
    echo "seed: recipebox user add $1:" >&2
    cat "$tmp/err" >&2
    return 1
}
add_user alice user "Alice Martin"
add_user bob user "Bob Okafor"
add_user carol user "Carol Nguyen"
add_user mod moderator "Mo Derator"
add_user admin admin "Site Admin"
if [ "$code" != 200 ]; then
    echo "seed: GET /api/v1/recipes answered ${code:-nothing}; demo users made, no recipes" >&2
    exit 3
fi

# a session (cookie jar $tmp/NAME.jar) and its CSRF token ($tmp/NAME.csrf) each
for u in $authors; do
    printf '{"login":"%s","password":"%s"}' "$u" "$pw" > "$tmp/login.json"
    code=$(curl -s -m 10 -c "$tmp/$u.jar" -o "$tmp/$u.login" -w '%{http_code}' \
        -H 'Content-Type: application/json' --data-binary "@$tmp/login.json" \
        "$base/api/v1/auth/login" || true)
    sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$tmp/$u.login" > "$tmp/$u.csrf"
    if [ "$code" != 200 ] || [ ! -s "$tmp/$u.csrf" ]; then
        echo "seed: login as $u answered ${code:-nothing}: $(cat "$tmp/$u.login")" >&2
        exit 1
    fi
done

# one curl config section, ended by `next`: METHOD PATH USER BODYFILE|"" OUT
section() {
    {
        echo "url = \"$base$2\""
        echo "request = \"$1\""
        echo "cookie = \"$tmp/$3.jar\""
        echo "header = \"X-CSRF-Token: $(cat "$tmp/$3.csrf")\""
        if [ -n "$4" ]; then
            echo "header = \"Content-Type: application/json\""
            echo "data-binary = \"@$4\""
        fi
        echo "output = \"$5\""
        echo "max-time = 20"
        printf 'write-out = "%%{http_code} %s %s %s\\n"\n' "$1" "$2" "$3"
        echo "next"
    }
}

# the recipes, in file order, dealt in turn to the authors
n=0
: > "$tmp/create.cfg"
while IFS= read -r line; do
    [ -n "$line" ] || continue
    n=$((n + 1))
    printf '%s' "$line" > "$tmp/recipe.$n.json"
    # shellcheck disable=SC2086 # split on purpose
    set -- $authors
    shift $(((n - 1) % 3))
    section POST /api/v1/recipes "$1" "$tmp/recipe.$n.json" "$tmp/recipe.$n.out" >> "$tmp/create.cfg"
done < "$data"
sed '$d' "$tmp/create.cfg" > "$tmp/create.k" # no `next` after the last
curl -s -K "$tmp/create.k" > "$tmp/create.codes" || true

# "N AUTHOR ID VISIBILITY" per recipe made
made=0
: > "$tmp/made"
i=0
while read -r code _ _ author; do
    i=$((i + 1))
    if [ "$code" != 201 ]; then
        echo "seed: recipe $i ($(sed 's/^{"title":"\([^"]*\)".*/\1/' "$tmp/recipe.$i.json")) as $author:" \
            "$code $(cat "$tmp/recipe.$i.out" 2>/dev/null)" >&2
        continue
    fi
    id=$(sed -n 's/^{"id":\([0-9][0-9]*\)[,}].*/\1/p' "$tmp/recipe.$i.out")
    vis=$(sed -n 's/.*"visibility":"\([a-z]*\)".*/\1/p' "$tmp/recipe.$i.json")
    [ -n "$id" ] || continue
    echo "$i $author $id ${vis:-public}" >> "$tmp/made"
    made=$((made + 1))
done < "$tmp/create.codes"

# ratings, favorites and comments by the two authors who did not write it;
# chosen by arithmetic on the recipe number, so every run gives the same
# spread: a few recipes unrated, most rated 3..5, the odd 2
set -- \
    "Made this on Sunday and the whole family went back for seconds." \
    "Great recipe. I used a bit less salt and it was perfect for us." \
    "The timings were spot on with my oven." \
    "I halved the chilli for the kids and it was still lovely." \
    "Doubled the quantities for a party: it scales really well." \
    "Easy to follow, and it tasted like it came from a restaurant." \
    "Came out a little dry the first time; ten minutes less did it." \
    "This is now on our weekly rotation." \
    "Lovely! Next time I will add more garlic." \
    "Tried it with what I had in the fridge and it still worked. Thanks!" \
    "The photos in my head did not match mine, but the taste did. 😄" \
    "Can this be made a day ahead? Mine was even better the next day." \
    "Swapped in gluten-free flour and nobody noticed." \
    "Perfect for a weeknight. Twenty minutes, one pan, no fuss." \
    "My partner says this is the best version they have had." \
    "Worth buying the proper ingredients for; it makes a real difference."
ncomments=$#
text=
: > "$tmp/act.cfg"
k=0
while read -r i author id vis; do
    [ "$vis" = private ] && continue
    k=$((k + 1))
    r=0
    for u in $authors; do
        r=$((r + 1))
        [ "$u" = "$author" ] && continue
        if [ $((k % 7)) -ne 6 ] && [ $(((k + r) % 5)) -ne 0 ]; then
            v=$(((k * 7 + r * 5) % 10))
            stars=2
            [ "$v" -lt 9 ] && stars=3
            [ "$v" -lt 7 ] && stars=4
            [ "$v" -lt 4 ] && stars=5
            printf '{"stars":%d}' "$stars" > "$tmp/rate.$k.$r.json"
            section PUT "/api/v1/recipes/$id/rating" "$u" "$tmp/rate.$k.$r.json" /dev/null >> "$tmp/act.cfg"
        fi
        if [ $(((k * 3 + r) % 4)) -eq 0 ]; then
            section PUT "/api/v1/recipes/$id/favorite" "$u" "" /dev/null >> "$tmp/act.cfg"
        fi
        if [ $(((k * 3 + r * 2) % 7)) -lt 2 ]; then
            c=$(((k * 2 + r * 5) % ncomments + 1))
            eval "text=\${$c}"
            printf '{"body":"%s"}' "$text" > "$tmp/comment.$k.$r.json"
            section POST "/api/v1/recipes/$id/comments" "$u" "$tmp/comment.$k.$r.json" /dev/null >> "$tmp/act.cfg"
        fi
    done
done < "$tmp/made"
acts=0
failed=0
if [ -s "$tmp/act.cfg" ]; then
    sed '$d' "$tmp/act.cfg" > "$tmp/act.k"
    curl -s -K "$tmp/act.k" > "$tmp/act.codes" || true
    while read -r code what; do
        case $code in
        2??) acts=$((acts + 1)) ;;
        *) failed=$((failed + 1)); echo "seed: $code $what" >&2 ;;
        esac
    done < "$tmp/act.codes"
fi

echo "seed: $made of $n recipes, $acts ratings/favorites/comments ($failed failed)"
[ "$made" -eq "$n" ] && [ "$failed" -eq 0 ]
