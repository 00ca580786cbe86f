/*
 * synth_rng.h — the sample-night generator's random numbers: xoshiro256** seeded through splitmix64.
 *
 * Why not rand()/random()/drand48(): their sequences differ between C libraries (glibc, musl, BSD)
 * and rand() keeps hidden global state, so `nightfan synth --seed S` would not give the same bytes on
 * every machine. xoshiro256** (Blackman & Vigna) is 20 lines, fast and fully specified here.
 * Everything built on it uses only integer arithmetic and + - * / on doubles (no libm, whose last
 * bits may differ between platforms; -std=c17 also keeps the compiler from fusing a*b+c).
 *
 * Each night draws from independent streams keyed by (seed, night number, purpose), so night N0007
 * is the same whether 10 or 200 nights are generated, and --messy changes only the messy parts.
 */
#ifndef NIGHTFAN_SYNTH_RNG_H
#define NIGHTFAN_SYNTH_RNG_H

#include <stdint.h>

struct synth_rng {
	uint64_t s[4];
};

/* The purposes a night draws for (one stream each). */
enum synth_stream {
	RNG_LABELS = 1,      /* stages, events, positions: the "truth" */
	RNG_PREDICTIONS,     /* the model's mistakes */
	RNG_SAMPLES,         /* motion noise of the position samples */
	RNG_MESSY,           /* comments, unknown values */
	RNG_BROKEN,          /* where a broken night's defect goes */
};

static inline uint64_t synth_splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15u);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
	return z ^ (z >> 31);
}

static inline void synth_rng_seed(struct synth_rng *r, uint64_t seed, uint64_t night, uint64_t purpose)
{
	uint64_t state = seed;

	/* Mix the three keys through splitmix64 so that neighbouring keys give unrelated streams. */
	state = synth_splitmix64(&state) ^ (night * 0xd1342543de82ef95u);
	state = synth_splitmix64(&state) ^ (purpose * 0xa0761d6478bd642fu);
	for (int i = 0; i < 4; i++)
		r->s[i] = synth_splitmix64(&state);
}

static inline uint64_t synth_rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static inline uint64_t synth_rng_next(struct synth_rng *r)
{
	uint64_t *s = r->s;
	uint64_t result = synth_rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = synth_rotl(s[3], 45);
	return result;
}

/* Uniform double in [0, 1), from the top 53 bits. */
static inline double synth_uniform(struct synth_rng *r)
{
	return (double)(synth_rng_next(r) >> 11) * (1.0 / 9007199254740992.0);
}

/* Uniform double in [lo, hi). */
static inline double synth_between(struct synth_rng *r, double lo, double hi)
{
	return lo + (hi - lo) * synth_uniform(r);
}

/* Uniform integer in [lo, hi] (hi >= lo). */
static inline long synth_range(struct synth_rng *r, long lo, long hi)
{
	return lo + (long)(synth_uniform(r) * (double)(hi - lo + 1));
}

/* True with probability p. */
static inline int synth_chance(struct synth_rng *r, double p)
{
	return synth_uniform(r) < p;
}

/* Roughly normal with mean 0 and sd 1 (Irwin–Hall sum of four uniforms, scaled): bounded at ±3.46,
 * which is what jitter should be, and needs no libm. */
static inline double synth_normalish(struct synth_rng *r)
{
	double sum = synth_uniform(r) + synth_uniform(r) + synth_uniform(r) + synth_uniform(r);

	return (sum - 2.0) * 1.7320508075688772;
}

/* Index drawn from `n` weights (need not sum to 1; at least one positive). */
static inline int synth_pick(struct synth_rng *r, const double *weights, int n)
{
	double total = 0, x;

	for (int i = 0; i < n; i++)
		total += weights[i];
	x = synth_uniform(r) * total;
	for (int i = 0; i < n; i++) {
		if (x < weights[i])
			return i;
		x -= weights[i];
	}
	return n - 1;
}

#endif
