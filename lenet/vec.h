/*
 * vec.h: one vector register's worth of doubles as one value, for the
 * loops that keep their sums in registers (conv.c).
 */
#ifndef LENET_VEC_H
#define LENET_VEC_H

#if defined(__AVX512F__)
#define VEC_LANES 8
#elif defined(__AVX__)
#define VEC_LANES 4
#else
#define VEC_LANES 2          /* SSE2: every x86-64, and the fallback */
#endif

typedef double vec __attribute__((vector_size(VEC_LANES * sizeof(double))));
typedef double vec_at_ __attribute__((vector_size(VEC_LANES * sizeof(double)),
                                      aligned(sizeof(double))));

/* The VEC_LANES doubles from p on, read or written as one vec. */
#define VEC_AT(p) (*(vec_at_ *)(p))
#endif
