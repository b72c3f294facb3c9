import { describe, expect, it } from 'vitest';
import { isJsonObject, jsonValueEnd } from '../../../src/protocol/json-bytes.js';

/** The validator's verdict on a whole text: one value, whitespace allowed around it (as JSON.parse allows). */
function validates(text: string): boolean {
  const b = Buffer.from(text);
  let end = jsonValueEnd(b, 0, b.length);
  if (end < 0) return false;
  while (end < b.length && ' \t\n\r'.includes(String.fromCharCode(b[end]!))) end++;
  return end === b.length;
}

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** A small deterministic generator (mulberry32), so a failure names a reproducible case. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CORPUS = [
  '{"id":1,"name":"Order #1001","price":"12.50","tags":["a","b"],"nested":{"x":null,"y":true,"z":false},"n":-0.5e+10}',
  '[1,2.5,-3e-2,0,"s\\"q\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDCE6",[],{},[[{}]]]',
  '{"ドア":"📦 ok","a":[{"b":[{"c":"d"}]}],"e":1E5,"f":0.0}',
  ' { "spaced" : [ 1 , 2 ] , "k" : { } } ',
  '"just a string"',
  '12345',
  'true',
];
const ALPHABET = ['{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '1', '-', '+', '.', 'e', 'E', ' ', '\t', '\u0001', 'a', 't', 'n', 'f', 'é', '📦'];

describe('JSON validation on bytes', () => {
  it('accepts exactly what JSON.parse accepts, over thousands of mutated documents', () => {
    const next = random(7);
    let accepted = 0;
    let checked = 0;
    for (const base of CORPUS) {
      expect(validates(base), base).toBe(true);
      for (let round = 0; round < 3000; round++) {
        let text = base;
        const edits = 1 + Math.floor(next() * 3);
        for (let e = 0; e < edits; e++) {
          const at = Math.floor(next() * (text.length + 1));
          const ch = ALPHABET[Math.floor(next() * ALPHABET.length)]!;
          const kind = next();
          if (kind < 0.33) text = text.slice(0, at) + ch + text.slice(at);
          else if (kind < 0.66) text = text.slice(0, at) + text.slice(at + 1);
          else text = text.slice(0, at) + ch + text.slice(at + 1);
        }
        checked++;
        const expected = parses(text);
        if (expected) accepted++;
        expect(validates(text), JSON.stringify(text)).toBe(expected);
      }
    }
    // The mutations must produce both verdicts often enough for the comparison to mean something.
    expect(accepted).toBeGreaterThan(checked / 20);
    expect(checked - accepted).toBeGreaterThan(checked / 2);
  });

  it('rejects the cases a quick scanner gets wrong', () => {
    const invalid = ['', '{', '{"a"}', '{"a":}', '{"a":1,}', '[1,]', '[,1]', '{,}', '01', '-', '1.', '.5', '1e', '1e+', '+1', '"\\x"', '"\\u12"', '"\\u12G4"', '"a\u0001"', '"a\nb"', 'tru', 'nul', 'falsey', '{"a":1}}', '[1]]', '{"a":[1}', '{1:2}', 'NaN', 'Infinity', "'s'"];
    for (const text of invalid) {
      expect(validates(text), JSON.stringify(text)).toBe(false);
      expect(parses(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('reports where the value ends, and handles deep nesting without recursion', () => {
    const b = Buffer.from('{"a":[1,{"b":2}]},"rest"');
    expect(jsonValueEnd(b, 0, b.length)).toBe(17);
    expect(jsonValueEnd(b, 0, 10)).toBe(-1); // cut inside the value
    const deep = `${'['.repeat(200_000)}${']'.repeat(200_000)}`;
    expect(jsonValueEnd(Buffer.from(deep), 0, deep.length)).toBe(deep.length);
  });

  it('isJsonObject wants one object filling the range exactly', () => {
    const ok = Buffer.from('x{"a":1}y');
    expect(isJsonObject(ok, 1, 8)).toBe(true);
    expect(isJsonObject(ok, 0, 8)).toBe(false);
    expect(isJsonObject(ok, 1, 9)).toBe(false);
    expect(isJsonObject(Buffer.from(' {"a":1}'), 0, 8)).toBe(false);
    expect(isJsonObject(Buffer.from('[1]'), 0, 3)).toBe(false);
  });
});
