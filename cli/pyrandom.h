/* SPDX-License-Identifier: GPL-2.0 */
/*
 * CPython's random module, as far as OSTEP's simulators use it: the Mersenne
 * Twister MT19937 seeded from an int the way random.seed(n) does, and
 * random.random(). The same seed gives the same numbers as CPython 3.
 */
#ifndef MINIPROC_CLI_PYRANDOM_H
#define MINIPROC_CLI_PYRANDOM_H

#include <stddef.h>
#include <stdint.h>

#define PY_MT_N	624

/**
 * struct py_random - one generator's state (random.Random)
 * @mt:  the twister's words
 * @mti: the next word of @mt to hand out; PY_MT_N: twist first
 */
struct py_random {
	uint32_t mt[PY_MT_N];
	int mti;
};

/*
 * random.seed(n) for an int n whose absolute value is @key[0..@nkey), 32-bit
 * words, least significant first. n == 0 is one word 0; @nkey is at least 1.
 */
void py_random_seed_words(struct py_random *r, const uint32_t *key,
			  size_t nkey);

/* random.seed(n) for a small int. */
void py_random_seed(struct py_random *r, int64_t n);

/* The next 32 bits of the twister (genrand_uint32 in CPython). */
uint32_t py_random_u32(struct py_random *r);

/* random.random(): a double in [0, 1) from 53 random bits. */
double py_random_random(struct py_random *r);

#endif /* MINIPROC_CLI_PYRANDOM_H */
