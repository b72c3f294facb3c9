/** The command line: every option documented, parsed into simulator options, and the real process contract. */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, it } from 'vitest';
import { buildProgram, parseCli } from '../../src/simulator/cli-program.js';

const built = join(process.cwd(), 'dist', 'simulator', 'cli.js');

describe('shopify-simulator CLI', () => {
  it('documents every option in --help', () => {
    const program = buildProgram();
    const help = program.helpInformation();
    expect(program.options.length).toBeGreaterThanOrEqual(20);
    for (const option of program.options) {
      expect(help).toContain(option.flags);
      expect(option.description.length).toBeGreaterThan(5);
    }
    for (const flag of ['--port <n>', '--seed <n>', '--orders <n>', '--fast', '--fault <json>']) expect(help).toContain(flag);
  });

  it('maps options to the simulator', () => {
    const options = parseCli(['--port', '0', '--seed', '9', '--orders', '1000000', '--products', '5', '--fast', '--running-ms', '50', '--throttle-max', '1000', '--fault', '{"match":"poll","action":{"type":"http","status":503},"count":2}', '--supported-versions', '2026-04,2026-07']);
    expect(options).toMatchObject({ port: 0, seed: 9, orders: 1_000_000, products: 5, fast: true, timings: { runningMs: 50 }, throttle: { maximumAvailable: 1000, restoreRate: 100 }, supportedVersions: ['2026-04', '2026-07'] });
    expect(options.faults).toEqual([{ match: 'poll', action: { type: 'http', status: 503 }, count: 2 }]);
    expect(() => parseCli(['--orders', 'many'])).toThrow();
  });

  it.skipIf(!existsSync(built))('prints the listening line first, serves, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [join(process.cwd(), 'bin', 'shopify-simulator.js'), '--port', '0', '--orders', '50', '--fast'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const first: string = await new Promise((resolve, reject) => {
      createInterface({ input: child.stdout }).once('line', resolve);
      child.once('error', reject);
    });
    const match = /^listening on (http:\/\/127\.0\.0\.1:(\d+))$/.exec(first);
    expect(match).not.toBeNull();
    const res = await fetch(`${match?.[1]}/admin/api/2026-07/graphql.json`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-shopify-access-token': 'simulator-token' }, body: JSON.stringify({ query: '{ shop { name } }' }) });
    expect(await res.json()).toMatchObject({ data: { shop: { name: 'simulator-shop' } } });
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
