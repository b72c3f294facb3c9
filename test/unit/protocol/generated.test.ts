import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/runtime/files.js';
import { SHARED_PROTOCOL_YAML } from '../../support/protocol.js';

describe('generated protocol types', () => {
  it('are up to date with the vendored schemas (npm run generate)', () => {
    // Exits non-zero and names the stale file when a committed generated file differs.
    expect(() => execFileSync(process.execPath, [`${PACKAGE_ROOT}scripts/generate-types.mjs`, '--check'], { stdio: 'pipe' })).not.toThrow();
  });

  it.runIf(existsSync(SHARED_PROTOCOL_YAML))('come from a byte-identical copy of the official protocol schema', () => {
    const vendored = readFileSync(`${PACKAGE_ROOT}schemas/airbyte/airbyte_protocol.yaml`);
    expect(vendored.equals(readFileSync(SHARED_PROTOCOL_YAML))).toBe(true);
  });
});
