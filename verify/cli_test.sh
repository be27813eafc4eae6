#!/bin/sh
# cli_test.sh: the `lenet` command end to end, as a user meets it. Bad
# input (a bad flag, a missing or damaged model, a missing data directory,
# an image of the wrong kind) must give one line on stderr that names the
# file or the flag, a non-zero status, and touch no file; a model records
# its architecture, so `lenet test` needs no --arch, and refuses a wrong
# one. The library's own suites check each loader in depth; this checks
# that the command passes their verdicts on.
# Usage: sh verify/cli_test.sh BUILD/lenet [MNIST-DIR]; run by `make verify`.
set -u
lenet=$1
data=${2:-data/mnist}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
passed=0 failed=0

# expect NAME STATUS PATTERN COMMAND...: the status must be STATUS, stderr
# one line matching PATTERN (no line when PATTERN is empty).
expect() {
    name=$1 want=$2 pattern=$3
    shift 3
    "$@" > "$tmp/stdout" 2> "$tmp/stderr"
    got=$?
    lines=$(wc -l < "$tmp/stderr")
    if [ -z "$pattern" ]; then
        [ "$lines" -eq 0 ]
    else
        [ "$lines" -eq 1 ] && grep -q -- "$pattern" "$tmp/stderr"
    fi
    if [ $? -eq 0 ] && [ "$got" -eq "$want" ]; then
        passed=$((passed + 1)); echo "cli test: $name: ok"
    else
        failed=$((failed + 1))
        echo "cli test: $name: FAILED (status $got, $lines lines on stderr)"
        sed 's/^/    /' "$tmp/stderr"
    fi
}

expect "an unknown verb" 2 "unknown verb 'fly'" "$lenet" fly
expect "an unknown flag" 2 "--frobnicate" "$lenet" train --frobnicate
expect "a flag out of range" 2 "--threads: '9'" "$lenet" train --threads 9
expect "a missing model" 1 "$tmp/none.model" \
    "$lenet" test --model "$tmp/none.model" --data "$data"
printf 'LENET5\r\n' > "$tmp/cut.model"
expect "a truncated model" 1 "$tmp/cut.model: truncated" \
    "$lenet" test --model "$tmp/cut.model" --data "$data"

if [ -f "$data/train-images-idx3-ubyte" ]; then
    expect "a missing data directory" 1 "$tmp/nowhere" \
        "$lenet" train --data "$tmp/nowhere" --model "$tmp/m.model"
    [ ! -e "$tmp/m.model" ] || { failed=$((failed + 1));
        echo "cli test: a failed run wrote a model: FAILED"; }
    expect "a small modern run" 0 "" "$lenet" train --arch modern \
        --data "$data" --train-limit 200 --test-limit 100 --passes 1 \
        --model "$tmp/modern.model" --threads 2
    expect "test reads the architecture from the model" 0 "" \
        "$lenet" test --data "$data" --model "$tmp/modern.model"
    expect "test refuses another --arch" 1 \
        "architecture mismatch: the file holds a 'modern' network" \
        "$lenet" test --data "$data" --model "$tmp/modern.model" --arch paper
    printf 'P5\n3 3\n255\nabc' > "$tmp/short.pgm"
    expect "a PGM shorter than its header says" 1 "$tmp/short.pgm" \
        "$lenet" predict --model "$tmp/modern.model" "$tmp/short.pgm"
    cp "$tmp/modern.model" "$tmp/saved.model"
    expect "a resume of a missing checkpoint" 1 "$tmp/none.ckpt" \
        "$lenet" train --data "$data" --resume "$tmp/none.ckpt" \
        --model "$tmp/modern.model"
    cmp -s "$tmp/modern.model" "$tmp/saved.model" &&
        { passed=$((passed + 1)); echo "cli test: the model is untouched: ok"; } ||
        { failed=$((failed + 1)); echo "cli test: the model is untouched: FAILED"; }
elif [ "${LENET_REQUIRE_DATA:-0}" != 0 ]; then
    failed=$((failed + 1))
    echo "cli test: no MNIST in $data, and LENET_REQUIRE_DATA is set: FAILED"
else
    echo "cli test: no MNIST in $data: the runs that need it are skipped"
fi

echo "cli: $passed of $((passed + failed)) cases behave"
[ "$failed" -eq 0 ]
