/**
 * Deterministic hashing: every generated value is a pure function of (seed, stream, index, k), so a
 * record can be rebuilt at any time without keeping it in memory.
 */

/** 32-bit avalanche mix (murmur3 finaliser). */
function fmix(h: number): number {
  let x = h | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** Unsigned 32-bit hash of a few integers. */
export function hash(seed: number, a: number, b = 0, c = 0): number {
  let h = fmix(seed ^ 0x9e3779b9);
  h = fmix(h ^ Math.imul(a | 0, 0xcc9e2d51) ^ Math.floor(a / 4294967296));
  h = fmix(h ^ Math.imul(b | 0, 0x1b873593));
  return fmix(h ^ Math.imul(c | 0, 0xe6546b64));
}

/** Uniform float in [0, 1). */
export function unit(seed: number, a: number, b = 0, c = 0): number {
  return hash(seed, a, b, c) / 4294967296;
}

/** Integer in [min, max]. */
export function between(seed: number, min: number, max: number, a: number, b = 0, c = 0): number {
  return min + (hash(seed, a, b, c) % (max - min + 1));
}

export function pick<T>(list: readonly T[], seed: number, a: number, b = 0, c = 0): T {
  const item = list[hash(seed, a, b, c) % list.length];
  if (item === undefined) throw new Error('pick from empty list');
  return item;
}

/** Hash of a string (FNV-1a), to derive streams from names. */
export function hashString(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
