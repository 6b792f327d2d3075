/**
 * Seeded random numbers for the simulator: xoshiro128** (Blackman & Vigna, 2018) seeded through splitmix32, plus the
 * few distributions a contact centre needs. xoshiro128** works on 32-bit words, which JavaScript does fast
 * (Math.imul, >>> 0), has a period of 2^128 − 1 and passes BigCrush; uniforms carry 32 random bits, plenty here.
 * Each (seed, stream) pair gives an independent-looking generator, so arrivals, service times, patience … each draw
 * from their own stream and one changing input (the number of agents, say) does not reshuffle the others.
 */

export type Rng = () => number;

/** splitmix32: a tiny generator used only to expand (seed, stream) into xoshiro's 128-bit state. */
function splitmix32(a: number): () => number {
  return () => {
    a = (a + 0x9e3779b9) | 0;
    let z = a;
    z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
    z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
    return (z ^ (z >>> 15)) >>> 0;
  };
}

/** A uniform generator on the open interval (0, 1) for the given seed and stream number. */
export function rng(seed: number, stream = 0): Rng {
  const mix = splitmix32(Math.imul(seed | 0, 0x85ebca6b) ^ Math.imul(stream + 1, 0xc2b2ae35) ^ ((seed / 0x1_0000_0000) | 0));
  let s0 = mix(), s1 = mix(), s2 = mix(), s3 = mix();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is the one fixed point
  return () => {
    const r = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return (r + 0.5) / 0x1_0000_0000; // never 0 or 1, so log(u) is always finite
  };
}

const rotl = (x: number, k: number) => (x << k) | (x >>> (32 - k));

export const DIST_KINDS = ['exp', 'const', 'lognormal', 'uniform', 'erlang2'] as const;
export type DistKind = (typeof DIST_KINDS)[number];

/**
 * A positive random duration described by its mean (given separately) and shape:
 * exp (cv 1), const (cv 0), erlang2 (sum of two exponentials, cv 1/√2), uniform on [0, 2·mean] (cv 1/√3),
 * lognormal with coefficient of variation `cv` (default 1).
 */
export interface Dist {
  kind: DistKind;
  cv?: number;
}

/** Returns a sampler of the distribution with the given mean, drawing from `u`. */
export function sampler(dist: Dist, mean: number, u: Rng): () => number {
  switch (dist.kind) {
    case 'exp':
      return () => -mean * Math.log(u());
    case 'const':
      return () => mean;
    case 'erlang2':
      return () => -0.5 * mean * Math.log(u() * u());
    case 'uniform':
      return () => 2 * mean * u();
    case 'lognormal': {
      // ln X ~ N(m, s²) with E[X] = mean and sd(X) = cv·mean: s² = ln(1 + cv²), m = ln(mean) − s²/2.
      const cv = dist.cv ?? 1;
      const s = Math.sqrt(Math.log(1 + cv * cv));
      const m = Math.log(mean) - (s * s) / 2;
      return () => Math.exp(m + s * normal(u));
    }
  }
}

/** A standard normal draw (Box–Muller; one of the pair is discarded to keep the sampler stateless). */
function normal(u: Rng): number {
  return Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
}

/** Parses 'exp', 'const', 'lognormal', 'lognormal:0.5' (cv) …; returns null when the text names no distribution. */
export function parseDist(text: string): Dist | null {
  const [kind, cvText, ...rest] = text.split(':');
  if (!DIST_KINDS.includes(kind as DistKind) || rest.length) return null;
  if (cvText === undefined) return { kind: kind as DistKind };
  const cv = Number(cvText);
  if (kind !== 'lognormal' || cvText.trim() === '' || !Number.isFinite(cv) || cv <= 0) return null;
  return { kind, cv };
}
