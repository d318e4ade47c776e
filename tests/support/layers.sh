#!/bin/sh
# The layer check: every #include "x/y.h" in app/ and include/ must point to
# the file's own layer or one below it (docs/architecture.md, "Layers").
# Usage: layers.sh [ROOT]. Prints each upward include and exits 1 if any.
root=${1:-.}
cd "$root" || exit 2
# rank of each layer, top to bottom; main.c is the top
rank() {
    case "$1" in
    main) echo 7 ;; cli) echo 6 ;; runtime) echo 5 ;; api) echo 4 ;;
    http) echo 3 ;; db) echo 2 ;; base) echo 1 ;; lib) echo 0 ;;
    *) echo -1 ;;
    esac
}
bad=0
files=$(find app include -name '*.[ch]' | sort)
for f in $files; do
    case "$f" in
    app/main.c) layer=main ;;
    app/*/*|include/*/*) layer=$(echo "$f" | cut -d/ -f2) ;;
    *) echo "layers: $f is outside every layer"; bad=1; continue ;;
    esac
    from=$(rank "$layer")
    if [ "$from" -lt 0 ]; then
        echo "layers: $f: unknown layer '$layer'"
        bad=1
        continue
    fi
    # each quoted include: LINE:dir/name.h
    for inc in $(grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
                 sed 's/^\([0-9]*\):.*"\([^"]*\)".*/\1:\2/'); do
        line=${inc%%:*}
        path=${inc#*:}
        to_layer=${path%%/*}
        if [ "$to_layer" = "$path" ]; then
            echo "$f:$line: include \"$path\" names no layer"
            bad=1
            continue
        fi
        to=$(rank "$to_layer")
        if [ "$to" -lt 0 ]; then
            echo "$f:$line: include \"$path\": unknown layer '$to_layer'"
            bad=1
        elif [ "$to" -gt "$from" ]; then
            echo "$f:$line: $layer may not include $to_layer (\"$path\" points up)"
            bad=1
        fi
    done
done
[ $bad -eq 0 ] && echo "layers: every include points down ($(echo "$files" | wc -l) files)"
exit $bad
