#!/bin/sh
# all.sh: make every figure. Runs gnuplot on each *.gp here except style.gp
# (which they all load), from this directory, so that data/<file> and the
# <name>.png / <name>.pdf outputs resolve here.
#
# Fails (exit 1) if any script
#   - exits non-zero (a gnuplot error), or
#   - writes anything to stderr: the scripts print nothing on success, so any
#     output is a gnuplot warning ("Skipping data file with no valid points",
#     "matrix contains missing or undefined values", ...), which here always
#     means a missing or malformed data file and hence a wrong figure, or
#   - leaves <name>.png or <name>.pdf missing, empty, or older than this run.
# Every script is run even after a failure, so one run lists every problem.
#
# ablation.gp draws data/ablation.csv, which only `make ablation` writes (it
# takes hours and is not in CI): without that file it is skipped, and said so.
#
# Usage: sh all.sh            (from figures/, or sh figures/all.sh)
#        sh all.sh NAME.gp... only those figures

cd "$(dirname "$0")" || exit 1

if ! command -v gnuplot >/dev/null 2>&1; then
    echo "all.sh: gnuplot not found (make deps installs gnuplot-nox)" >&2
    exit 1
fi
if [ ! -d data ]; then
    echo "all.sh: no data/ here: run 'lenet dump' and 'make train' first (see README.md)" >&2
    exit 1
fi

stamp=$(mktemp) || exit 1
err=$(mktemp) || { rm -f "$stamp"; exit 1; }
trap 'rm -f "$stamp" "$err"' EXIT
# Outputs must be newer than the stamp; some file systems keep whole seconds.
sleep 1

failed=0
count=0
[ $# -gt 0 ] || set -- *.gp
for script in "$@"; do
    [ "$script" = style.gp ] && continue
    if [ "$script" = ablation.gp ] && [ ! -f data/ablation.csv ]; then
        echo "all.sh: ablation.gp skipped: no data/ablation.csv (make ablation)"
        continue
    fi
    name=${script%.gp}
    count=$((count + 1))
    if ! gnuplot "$script" 2>"$err"; then
        echo "all.sh: $script: gnuplot failed:" >&2
        sed 's/^/    /' "$err" >&2
        failed=1
        continue
    fi
    if [ -s "$err" ]; then
        echo "all.sh: $script: gnuplot warned (treated as an error):" >&2
        sed 's/^/    /' "$err" >&2
        failed=1
    fi
    for out in "$name.png" "$name.pdf"; do
        if [ ! -s "$out" ] || [ -z "$(find "$out" -newer "$stamp")" ]; then
            echo "all.sh: $script: did not write $out" >&2
            failed=1
        fi
    done
    # cairo stamps each PDF with the time it was made; a fixed stamp of the
    # same length (the file's offsets stay right) makes the same data give
    # the same file, so regenerating changes nothing git can see.
    if [ -s "$name.pdf" ]; then
        LC_ALL=C sed 's#/CreationDate (D:[0-9]\{14\}Z)#/CreationDate (D:20000101000000Z)#' \
            "$name.pdf" > "$name.pdf.tmp" && mv "$name.pdf.tmp" "$name.pdf"
    fi
done

if [ "$failed" -ne 0 ]; then
    echo "all.sh: some figures failed (see above)" >&2
    exit 1
fi
echo "all.sh: $count figures written (PNG and PDF)"
