/**
 * Loads the WebAssembly form of the JSON check (json-check.c, built into json-check-wasm.ts). The
 * bytes to check are copied into the module's memory, followed by the spaces it reads past them.
 */
import { JSON_CHECK_WASM } from './json-check-wasm.js';

/** One JSON value, whitespace allowed around it: true or false, or undefined when undecided. */
export type WasmJsonCheck = (b: Uint8Array, start: number, end: number) => boolean | undefined;

/**
 * Ranges longer than this are left to the JavaScript grammar: the module's memory grows to the largest
 * range it was given and never shrinks.
 */
export const WASM_CHECK_MAX_BYTES = 8 * 1024 * 1024;
/** The module reads up to 64 bytes past the input; they must be whitespace. */
const PADDING = 128;
const PAGE = 65536;

// The few WebAssembly globals used here (Node's types leave them to the DOM library).
declare const WebAssembly: {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object) => { exports: unknown };
};

interface Exports {
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
  input(): number;
  validate(length: number): number;
}

/** The check, or undefined where WebAssembly SIMD is unavailable. Undecided: nested over 1024 deep, or too long. */
export function loadWasmJsonCheck(): WasmJsonCheck | undefined {
  let exports: Exports;
  try {
    exports = new WebAssembly.Instance(new WebAssembly.Module(Buffer.from(JSON_CHECK_WASM, 'base64'))).exports as unknown as Exports;
  } catch {
    return undefined;
  }
  const { memory, validate } = exports;
  const base = exports.input();
  let view = new Uint8Array(memory.buffer);
  return (b, start, end) => {
    const length = end - start;
    if (length > WASM_CHECK_MAX_BYTES) return undefined;
    const need = base + length + PADDING;
    if (need > view.length) {
      memory.grow(Math.ceil((need - view.length) / PAGE));
      view = new Uint8Array(memory.buffer);
    }
    view.set(b.subarray(start, end), base);
    view.fill(0x20, base + length, base + length + PADDING);
    const verdict = validate(length);
    return verdict === 2 ? undefined : verdict === 1;
  };
}
