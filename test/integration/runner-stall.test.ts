/** The CLI runner turns a command that stalls (nothing left to wait on) into a TRACE error and exit 1. */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { expectValidMessages } from '../support/protocol.js';
import { parseMessages, writeJsonFiles } from '../support/run-cli.js';

it('ends a stalled command with one TRACE error and exit 1, not a silent exit 13', () => {
  const { config } = writeJsonFiles({ config: {} });
  const fixture = fileURLToPath(new URL('../fixtures/stalled-connector.mjs', import.meta.url));
  const result = spawnSync(process.execPath, [fixture, 'check', '--config', config], { encoding: 'utf8', timeout: 30_000 });
  expect(result.status).toBe(1);
  const messages = parseMessages(result.stdout);
  expectValidMessages(messages);
  const traces = messages.filter((m) => m.type === 'TRACE' && m.trace.type === 'ERROR');
  expect(traces).toHaveLength(1);
  expect(traces[0]).toMatchObject({ trace: { error: { failure_type: 'system_error', message: expect.stringMatching(/stopped with work left and nothing to wait for/) } } });
});
