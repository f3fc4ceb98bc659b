// SPDX-License-Identifier: GPL-2.0
/*
 * MT19937 as Matsumoto and Nishimura published it (init_genrand,
 * init_by_array, genrand_int32), which is what CPython's _random module
 * runs, and CPython's rule for turning 53 of its bits into random().
 */
#include "pyrandom.h"

#define PY_MT_M			397
#define PY_MT_MATRIX_A		0x9908b0dfU
#define PY_MT_UPPER_MASK	0x80000000U
#define PY_MT_LOWER_MASK	0x7fffffffU
/* The seed init_by_array() starts from, fixed by the reference code. */
#define PY_MT_ARRAY_SEED	19650218U

/* init_genrand(): fill the state from one 32-bit seed. */
static void py_random_init(struct py_random *r, uint32_t s)
{
	int i;

	r->mt[0] = s;
	for (i = 1; i < PY_MT_N; i++)
		r->mt[i] = 1812433253U * (r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) +
			   (uint32_t)i;
	r->mti = PY_MT_N;
}

void py_random_seed_words(struct py_random *r, const uint32_t *key,
			  size_t nkey)
{
	size_t i = 1, j = 0, k;

	py_random_init(r, PY_MT_ARRAY_SEED);
	for (k = PY_MT_N > nkey ? PY_MT_N : nkey; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) *
					1664525U)) + key[j] + (uint32_t)j;
		i++;
		j++;
		if (i >= PY_MT_N) {
			r->mt[0] = r->mt[PY_MT_N - 1];
			i = 1;
		}
		if (j >= nkey)
			j = 0;
	}
	for (k = PY_MT_N - 1; k; k--) {
		r->mt[i] = (r->mt[i] ^ ((r->mt[i - 1] ^ (r->mt[i - 1] >> 30)) *
					1566083941U)) - (uint32_t)i;
		i++;
		if (i >= PY_MT_N) {
			r->mt[0] = r->mt[PY_MT_N - 1];
			i = 1;
		}
	}
	r->mt[0] = 0x80000000U;	/* a non-zero initial state, as the reference */
}

void py_random_seed(struct py_random *r, int64_t n)
{
	uint64_t a = n < 0 ? -(uint64_t)n : (uint64_t)n;
	uint32_t key[2] = { (uint32_t)a, (uint32_t)(a >> 32) };

	py_random_seed_words(r, key, key[1] ? 2 : 1);
}

/* Make the next PY_MT_N words. */
static void py_random_twist(struct py_random *r)
{
	uint32_t y;
	int k;

	for (k = 0; k < PY_MT_N; k++) {
		y = (r->mt[k] & PY_MT_UPPER_MASK) |
		    (r->mt[(k + 1) % PY_MT_N] & PY_MT_LOWER_MASK);
		r->mt[k] = r->mt[(k + PY_MT_M) % PY_MT_N] ^ (y >> 1) ^
			   (y & 1 ? PY_MT_MATRIX_A : 0);
	}
	r->mti = 0;
}

uint32_t py_random_u32(struct py_random *r)
{
	uint32_t y;

	if (r->mti >= PY_MT_N)
		py_random_twist(r);
	y = r->mt[r->mti++];
	y ^= y >> 11;
	y ^= (y << 7) & 0x9d2c5680U;
	y ^= (y << 15) & 0xefc60000U;
	y ^= y >> 18;
	return y;
}

double py_random_random(struct py_random *r)
{
	uint32_t a = py_random_u32(r) >> 5, b = py_random_u32(r) >> 6;

	/* 27 + 26 bits: a * 2^26 + b over 2^53. */
	return (a * 67108864.0 + b) * (1.0 / 9007199254740992.0);
}
