import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/runtime/files.js';
import { emulatorStorage } from '../../support/gcs-emulator.js';
import { readJsonl } from './harness.js';

interface Summary {
  emulatorUrl: string;
  bucket: string;
  prefix: string;
  streams: Array<{ stream: string; recordsSent: number; recordsInGcs: number; objects: number; bytes: number; names: string[] }>;
  total: { sent: number; gcs: number; objects: number; bytes: number };
  pids: { simulator: number; emulator: number };
}

function runDemo(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(PACKAGE_ROOT, 'scripts', 'demo.mjs'), ...args], { cwd: PACKAGE_ROOT });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('npm run demo', () => {
  it('syncs every discovered stream and its summary matches the objects in the emulator', { timeout: 180_000 }, async () => {
    const summaryPath = join(mkdtempSync(join(tmpdir(), 'demo-test-')), 'summary.json');
    const result = await runDemo(['--orders', '10', '--keep', '--summary-json', summaryPath]);
    let summary: Summary | undefined;
    try {
      expect(result.code, result.stderr).toBe(0);
      summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as Summary;
      expect(result.stdout).toContain('Every record the source sent is in GCS.');
      expect(result.stdout).toContain(`kill ${summary.pids.simulator} ${summary.pids.emulator}`);
      expect(summary.streams.length).toBeGreaterThan(5);

      // Independently of the demo's own counting: list and read the emulator the demo left running.
      const storage = emulatorStorage(summary.emulatorUrl);
      const [files] = await storage.bucket(summary.bucket).getFiles({ prefix: summary.prefix });
      expect(files.map((f) => f.name).sort()).toEqual(summary.streams.flatMap((s) => s.names).sort());
      expect(files.reduce((n, f) => n + Number(f.metadata.size), 0)).toBe(summary.total.bytes);
      for (const s of summary.streams) {
        const rows = await readJsonl(storage, summary.bucket, `${summary.prefix}${s.stream}/`);
        expect(rows.length, s.stream).toBe(s.recordsSent);
        expect(s.recordsInGcs).toBe(s.recordsSent);
        for (const line of result.stdout.split('\n').filter((l) => l.trim().startsWith(`${s.stream} `))) {
          expect(line.trim().split(/\s+/).slice(1, 4)).toEqual([String(s.recordsSent), String(s.recordsInGcs), String(s.objects)]);
        }
      }
      expect(summary.total.sent).toBeGreaterThan(0);
    } finally {
      if (summary) for (const pid of Object.values(summary.pids)) try { process.kill(pid, 'SIGTERM'); } catch { /* already gone */ }
    }
  });
});
