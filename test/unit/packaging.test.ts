import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { dockerStages } from '../../bench/lib/dockerfile.mjs';
import { PACKAGE_ROOT } from '../../src/runtime/files.js';

const read = (f: string) => readFileSync(`${PACKAGE_ROOT}${f}`, 'utf8');
const pkg = JSON.parse(read('package.json')) as { version: string; files: string[]; bin: Record<string, string>; dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('packaging', () => {
  it('pins every dependency exactly and commits the lockfile', () => {
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) expect(range, name).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(`${PACKAGE_ROOT}package-lock.json`)).toBe(true);
  });

  it('declares the three commands', () => {
    expect(Object.keys(pkg.bin).sort()).toEqual(['destination-gcs', 'shopify-simulator', 'source-shopify']);
    for (const file of Object.values(pkg.bin)) expect(existsSync(`${PACKAGE_ROOT}${file}`), file).toBe(true);
  });

  it('has one Docker target per connector whose labels and entrypoint match the metadata', () => {
    const targets = dockerStages(read('Dockerfile'));
    const metadata = parse(read('metadata.yaml')) as { data: Record<string, unknown> };
    for (const name of ['source-shopify', 'destination-gcs']) {
      const t = targets.get(name);
      expect(t, name).toBeDefined();
      expect(t!.labels['io.airbyte.version']).toBe(pkg.version);
      expect(t!.labels['io.airbyte.name']).toMatch(new RegExp(`/${name}$`));
      expect(t!.env.AIRBYTE_ENTRYPOINT).toBe(t!.entrypoint!.join(' '));
    }
    expect(targets.get('source-shopify')!.labels['io.airbyte.name']).toBe(metadata.data.dockerRepository);
    expect(metadata.data.dockerImageTag).toBe(pkg.version);
  });

  it("keeps glibc's mmap threshold fixed in the source image", () => {
    // Left dynamic, glibc's threshold rises to the largest block freed and the parse threads' arenas
    // keep what V8's freed string tables held: bench/README.md, "What runs".
    const targets = dockerStages(read('Dockerfile'));
    expect(targets.get('source-shopify')!.env.GLIBC_TUNABLES).toMatch(/(^|:)glibc\.malloc\.mmap_threshold=131072(:|$)/);
  });

  it('ships the parse worker thread entry next to the module that starts it', async () => {
    // The pool starts `parse-worker.js` from the directory of its own compiled module.
    expect(existsSync(`${PACKAGE_ROOT}dist/source/bulk/parse-pool.js`)).toBe(true);
    expect(existsSync(`${PACKAGE_ROOT}dist/source/bulk/parse-worker.js`)).toBe(true);
    expect(pkg.files).toContain('dist');
    const { workerScript } = await import('../../src/source/bulk/parse-pool.js');
    expect(existsSync(workerScript())).toBe(true);
  });

  it('has the connector metadata fields the registry requires', () => {
    const metadata = parse(read('metadata.yaml')) as { metadataSpecVersion: string; data: Record<string, unknown> };
    expect(metadata.metadataSpecVersion).toBe('1.0');
    for (const field of ['name', 'definitionId', 'connectorType', 'dockerRepository', 'dockerImageTag', 'license', 'documentationUrl', 'githubIssueLabel', 'connectorSubtype', 'releaseStage']) {
      expect(metadata.data, field).toHaveProperty(field);
    }
    expect(metadata.data.definitionId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect((metadata.data.allowedHosts as { hosts: string[] }).hosts.length).toBeGreaterThan(0);
    expect((metadata.data.suggestedStreams as { streams: string[] }).streams.length).toBeGreaterThan(0);
  });
});
