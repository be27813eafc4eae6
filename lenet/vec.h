/*
 * vec.h: one vector register's worth of doubles as one value, for the
 * loops that keep their sums in registers (conv.c, full.c, dot.h).
 *
 * gcc and clang (not ISO C) let a type be declared a vector of N doubles:
 * + and * on two of them work element by element, and a double on one
 * side is taken as N copies. A local array of a few vecs is what the
 * compilers keep in registers; a local array of doubles they keep in
 * memory. The arithmetic of each element is what it would be on its own,
 * so a result does not depend on VEC_LANES.
 */
#ifndef LENET_VEC_H
#define LENET_VEC_H

//> vec
#if defined(__AVX512F__)
#define VEC_LANES 8
#elif defined(__AVX__)
#define VEC_LANES 4
#else
#define VEC_LANES 2          /* SSE2: every x86-64, and the fallback */
#endif

typedef double vec __attribute__((vector_size(VEC_LANES * sizeof(double))));
typedef double vec_at_ __attribute__((vector_size(VEC_LANES * sizeof(double)),
                                      aligned(sizeof(double)), may_alias));

/* The VEC_LANES doubles from p on, read or written as one vec (of any
   alignment, and known to overlap the doubles it covers). */
#define VEC_AT(p) (*(vec_at_ *)(p))
//< vec

//> vec-keep
/*
 * VEC_KEEP(v): v stays in a register. A vec read once and used in several
 * products may be read again from memory by each of them (gcc folds the
 * read into every multiplication); an empty asm statement that claims to
 * change v (and emits no instruction) makes the compiler keep the value
 * it read. x86 only ("v": a vector register); elsewhere, nothing.
 */
#if defined(__x86_64__) || defined(__i386__)
#define VEC_KEEP(v) __asm__("" : "+v"(v))
#else
#define VEC_KEEP(v) ((void)0)
#endif
//< vec-keep

#endif
