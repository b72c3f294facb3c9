/**
 * The source keeps WebAssembly in V8's baseline compiler. Checked in a child process (the flag is
 * process-wide) whose WebAssembly is made hot: with the call, V8 never re-compiles it with its
 * optimising compiler; without it (the control), it does, so the check can fail.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/runtime/files.js';

const HOT_WASM = `
const root = ${JSON.stringify(PACKAGE_ROOT)};
if (process.argv[1] === 'unoptimised') (await import(root + 'dist/runtime/wasm-tiering.js')).keepWebAssemblyUnoptimised();
const { isJsonObject } = await import(root + 'dist/protocol/json-bytes.js');
const line = Buffer.from(JSON.stringify({ id: 'gid://shopify/Order/1', note: 'x'.repeat(4000), lines: [1, 2, 3] }));
for (let i = 0; i < 20000; i++) if (!isJsonObject(line, 0, line.length)) throw new Error('not an object');
await new Promise((resolve) => setTimeout(resolve, 500)); // background compiles finish
`;

function optimisedCompiles(mode: string): number {
  const run = spawnSync(process.execPath, ['--trace-wasm-compilation-times', '--input-type=module', '-e', HOT_WASM, mode], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  expect(run.stdout).toMatch(/using Liftoff/); // the WebAssembly did run
  return (run.stdout.match(/using TurboFan/g) ?? []).length;
}

describe('keepWebAssemblyUnoptimised', () => {
  it('stops V8 from re-compiling hot WebAssembly with its optimising compiler', () => {
    expect(optimisedCompiles('default')).toBeGreaterThan(0);
    expect(optimisedCompiles('unoptimised')).toBe(0);
  });
});
