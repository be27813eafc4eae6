#!/bin/sh
# fit_test.sh: the constants of squash.c's tanh polynomial are the ones
# verify/fit/tanh_fit.c prints (chapter 4), highest degree first; a
# constant typed by hand, or a fit changed without squash.c, fails.
# Usage: sh verify/fit_test.sh BUILD/tanh_fit; run by `make verify`.
set -u
fit=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$fit" 2>/dev/null | tr -d ',' > "$tmp/want" || { echo "fit test: $fit failed"; exit 1; }
sed -n '/^\/\/> squash-tanh/,/^\/\/< squash-tanh/p' lenet/squash.c |
    sed -n 's/^ *\(double \)\{0,1\}p = \(0x[0-9a-f.]*p-[0-9]*\).*/\2/p' > "$tmp/got"
if [ -s "$tmp/got" ] && cmp -s "$tmp/want" "$tmp/got"; then
    echo "fit test: squash.c's $(wc -l < "$tmp/got") coefficients are tanh_fit's: ok"
else
    echo "fit test: squash.c's coefficients are not tanh_fit's: FAILED"
    diff "$tmp/want" "$tmp/got" | sed 's/^/    /'
    exit 1
fi
