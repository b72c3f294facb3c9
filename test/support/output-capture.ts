/**
 * The run-wide capture of connector output (see canaries.ts). Global setup creates a capture directory
 * under the OS temp dir and publishes it in CONNECTOR_OUTPUT_CAPTURE_DIR; runCli tees its children's
 * stdout/stderr there, and capture-preload.mjs (added to NODE_OPTIONS) does the same inside connector
 * processes that other helpers start. At the end of the run every captured byte is scanned for every
 * canary; a finding is printed and makes the run exit non-zero. (A throwing globalSetup teardown only
 * logs "error during close" and keeps exit code 0 in vitest 4, so the teardown sets process.exitCode.)
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PACKAGE_ROOT } from '../../src/runtime/files.js';
import { CAPTURE_DIR_ENV, createCanaryScanner, describeFindings } from './canaries.js';

export const CAPTURE_PRELOAD = join(PACKAGE_ROOT, 'test', 'support', 'capture-preload.mjs');

/** Starts capturing; the returned teardown scans everything captured. */
export function startOutputCapture(): () => Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'connector-output-'));
  process.env[CAPTURE_DIR_ENV] = dir;
  const preload = `--import=${JSON.stringify(pathToFileURL(CAPTURE_PRELOAD).href)}`;
  const previousNodeOptions = process.env.NODE_OPTIONS;
  process.env.NODE_OPTIONS = [previousNodeOptions, preload].filter(Boolean).join(' ');
  return async () => {
    if (previousNodeOptions === undefined) delete process.env.NODE_OPTIONS;
    else process.env.NODE_OPTIONS = previousNodeOptions;
    if (!existsSync(dir)) {
      process.stderr.write(`\nSECRET SCAN NOT DONE: the capture directory ${dir} was removed during the run.\n\n`);
      process.exitCode = 1;
      return;
    }
    const findings = await createCanaryScanner().scanDirectory(dir);
    const files = readdirSync(dir).length;
    if (findings.length > 0) {
      process.stderr.write(`\nSECRET LEAK: connector output captured in this run contains canary secrets (kept in ${dir}):\n${describeFindings(findings)}\n\n`);
      process.exitCode = 1;
      return;
    }
    process.stderr.write(`Secrets scan: no canary in the output of ${files} captured connector stream(s).\n`);
    rmSync(dir, { recursive: true, force: true });
  };
}
