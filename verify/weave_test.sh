#!/bin/sh
# weave_test.sh: the weave (chapters/weave.awk) must build a book from good
# input and must stop, naming the chapter or source line, on each broken
# marker; `make book-check` must fail on a stale book.md.
# Run by `make verify`; exits non-zero if any case misbehaves.
set -u
top=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# A tiny project: one source with two regions, one chapter.
mkdir -p "$tmp/lenet" "$tmp/chapters"
cat > "$tmp/lenet/a.c" <<'SRC'
int before;
//> one
int one;
//< one
//> two
int two;
//< two
SRC
good_chapter() {
    printf '# 1. A chapter\n\nText.\n\n^code lenet/a.c one\n\n^code lenet/a.c two\n' \
        > "$tmp/chapters/01-a.md"
}

# expect NAME STATUS PATTERN: weave the tiny project; the exit status must be
# STATUS and stdout+stderr must match PATTERN.
expect() {
    name=$1 want=$2 pattern=$3
    (cd "$tmp" && awk -f "$top/chapters/weave.awk" lenet/a.c chapters/01-a.md) \
        > "$tmp/out" 2>&1
    got=$?
    if [ "$got" -eq "$want" ] && grep -q -- "$pattern" "$tmp/out"; then
        passed=$((passed + 1)); echo "weave test: $name: ok"
    else
        failed=$((failed + 1)); echo "weave test: $name: FAILED (status $got)"
        sed 's/^/    /' "$tmp/out"
    fi
}

good_chapter
expect "a good chapter weaves" 0 '^\*lenet/a.c, lines 3–3\*$'

good_chapter; sed -i 's|^\^code lenet/a.c two|^code lenet/b.c two|' "$tmp/chapters/01-a.md"
expect "a missing file is named" 1 'chapters/01-a.md:7: ^code lenet/b.c two: no such source file'

good_chapter; sed -i 's|^\^code lenet/a.c two|^code lenet/a.c three|' "$tmp/chapters/01-a.md"
expect "a missing region is named" 1 "chapters/01-a.md:7: ^code lenet/a.c three: no region 'three'"

good_chapter; cp "$tmp/lenet/a.c" "$tmp/a.c.good"
sed -i '$d' "$tmp/lenet/a.c"
expect "a region never closed is named" 1 "lenet/a.c:5: region 'two' is never closed"
cp "$tmp/a.c.good" "$tmp/lenet/a.c"

printf '//> one\nint again;\n//< one\n' >> "$tmp/lenet/a.c"
expect "a region defined twice is named" 1 "lenet/a.c:8: region 'one' is defined twice"
cp "$tmp/a.c.good" "$tmp/lenet/a.c"

good_chapter; sed -i '/^\^code lenet\/a.c two/d' "$tmp/chapters/01-a.md"
expect "a region no chapter includes is named" 1 "lenet/a.c:5: region 'two' is included by no chapter"

# The real book: up to date, and a stale copy is refused.
if make -s -C "$top" book-check >"$tmp/out" 2>&1; then
    passed=$((passed + 1)); echo "weave test: the committed book.md is current: ok"
else
    failed=$((failed + 1)); echo "weave test: the committed book.md is current: FAILED"
    sed 's/^/    /' "$tmp/out"
fi
cp "$top/book.md" "$tmp/stale.md"
echo "a line the chapters do not have" >> "$tmp/stale.md"
if ! make -s -C "$top" book-check BOOK="$tmp/stale.md" >"$tmp/out" 2>&1 &&
   grep -q "is stale" "$tmp/out"; then
    passed=$((passed + 1)); echo "weave test: a stale book.md is refused: ok"
else
    failed=$((failed + 1)); echo "weave test: a stale book.md is refused: FAILED"
    sed 's/^/    /' "$tmp/out"
fi

echo "weave: $passed of $((passed + failed)) cases behave"
[ "$failed" -eq 0 ]
