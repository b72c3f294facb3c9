import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isJsonObject, jsonValueEnd } from '../../../src/protocol/json-bytes.js';
import { JSON_CHECK_SOURCE_SHA256 } from '../../../src/protocol/json-check-wasm.js';
import { WASM_CHECK_MAX_BYTES, loadWasmJsonCheck } from '../../../src/protocol/json-check.js';

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

/** `base` with one to three characters inserted, deleted or replaced at random. */
function mutate(base: string, next: () => number): string {
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
  return text;
}

const INVALID = ['', '{', '{"a"}', '{"a":}', '{"a":1,}', '[1,]', '[,1]', '{,}', '01', '-', '1.', '.5', '1e', '1e+', '+1', '"\\x"', '"\\u12"', '"\\u12G4"', '"a\u0001"', '"a\nb"', 'tru', 'nul', 'falsey', '{"a":1}}', '[1]]', '{"a":[1}', '{1:2}', 'NaN', 'Infinity', "'s'"];

describe('JSON validation on bytes', () => {
  it('accepts exactly what JSON.parse accepts, over thousands of mutated documents', () => {
    const next = random(7);
    let accepted = 0;
    let checked = 0;
    for (const base of CORPUS) {
      expect(validates(base), base).toBe(true);
      for (let round = 0; round < 3000; round++) {
        const text = mutate(base, next);
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
    for (const text of INVALID) {
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

describe('JSON validation in WebAssembly SIMD', () => {
  const check = loadWasmJsonCheck();
  const verdict = (text: string): boolean | undefined => {
    const b = Buffer.from(text);
    return check!(b, 0, b.length);
  };

  it('is built from the C source in the repository', () => {
    const source = readFileSync(new URL('../../../src/protocol/json-check.c', import.meta.url));
    expect(createHash('sha256').update(source).digest('hex'), 'json-check.c changed: run npm run build:wasm').toBe(JSON_CHECK_SOURCE_SHA256);
    expect(check).toBeTypeOf('function');
  });

  it('accepts exactly what JSON.parse accepts, with every token at every place in a 64-byte block', () => {
    const next = random(11);
    let accepted = 0;
    let checked = 0;
    const wrong: string[] = [];
    for (const base of CORPUS) {
      for (let round = 0; round < 250; round++) {
        const text = round === 0 ? base : mutate(base, next);
        // Shifting the text by 0-69 bytes moves each of its characters across a block boundary.
        for (let shift = 0; shift < 70; shift += 1 + Math.floor(next() * 4)) {
          for (const shifted of [
            ' '.repeat(shift) + text,
            `[${JSON.stringify('x'.repeat(shift))},${text}]`,
            `{"${'\\\\'.repeat(shift)}":${text}}`,
            `[${JSON.stringify('é'.repeat(shift))} ,\n${text}]`,
          ]) {
            const expected = parses(shifted);
            checked++;
            if (expected) accepted++;
            if (verdict(shifted) !== expected) wrong.push(shifted);
          }
        }
      }
    }
    expect(wrong.slice(0, 5)).toEqual([]);
    expect(accepted).toBeGreaterThan(checked / 20);
    expect(checked - accepted).toBeGreaterThan(checked / 4);
  });

  it('rejects the cases a quick scanner gets wrong, and runs of backslashes across blocks', () => {
    for (const text of [...INVALID, '1 2', '"a""b"', '\\"a"', '[1\\]', '"\\u123"', '{"a":1} x']) expect(verdict(text), JSON.stringify(text)).toBe(false);
    for (let run = 0; run < 140; run++) {
      for (let shift = 0; shift < 64; shift += 7) {
        const text = `${' '.repeat(shift)}"${'\\'.repeat(run)}"`;
        expect(verdict(text), JSON.stringify(text)).toBe(run % 2 === 0);
      }
    }
    for (let at = 0; at < 130; at++) {
      const text = `"${'a'.repeat(at)}\u0001${'b'.repeat(10)}"`;
      expect(verdict(text), JSON.stringify(text)).toBe(false);
    }
  });

  it('leaves deep nesting and long ranges undecided, and isJsonObject then uses the JavaScript grammar', () => {
    const nested = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
    expect(verdict(nested(1024))).toBe(true);
    expect(verdict(nested(1025))).toBeUndefined();
    const deep = Buffer.from(nested(100_000));
    expect(isJsonObject(deep, 0, deep.length)).toBe(true);
    expect(isJsonObject(deep, 0, deep.length - 1)).toBe(false);

    const long = Buffer.from(`{"s":"${'x'.repeat(WASM_CHECK_MAX_BYTES)}"}`);
    expect(check!(long, 0, long.length)).toBeUndefined();
    expect(isJsonObject(long, 0, long.length)).toBe(true);
    long[long.length - 10] = 0x01;
    expect(isJsonObject(long, 0, long.length)).toBe(false);
  });

  it('checks a range inside a larger buffer, however its memory grew before', () => {
    expect(verdict(`{"big":"${'y'.repeat(3_000_000)}"}`)).toBe(true);
    const line = Buffer.from('xx{"a":[1,{"b":null}]}yy');
    expect(check!(line, 2, line.length - 2)).toBe(true);
    expect(check!(line, 2, line.length - 3)).toBe(false);
  });
});
