import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../../src/runtime/files.js';
import { inputValidator } from '../../../src/runtime/input-errors.js';
import { loadInputValidator, validatorKey } from '../../../src/runtime/precompiled.js';
import { protocolDefinition } from '../../../src/runtime/protocol-schema.js';
import { loadSpec } from '../../../src/runtime/spec.js';
import { createInputValidator } from '../../../src/runtime/validate.js';

/** The result of validating `data`: the output, or the error message. */
function outcome(validate: (data: unknown) => unknown, data: unknown): unknown {
  try {
    return { ok: validate(data) };
  } catch (err) {
    return { error: (err as Error).message };
  }
}

const sourceSpec = loadSpec('spec.source.json').connectionSpecification;
const destinationSpec = loadSpec('spec.destination.json').connectionSpecification;
const catalogSchema = protocolDefinition('ConfiguredAirbyteCatalog');
const sourceAuth = { auth_method: 'api_password', api_password: 'shpat_x' };
const stream = { name: 'orders', json_schema: {}, supported_sync_modes: ['full_refresh'] };

const cases: Array<[string, object, { useDefaults?: boolean }, unknown[]]> = [
  ['source config', sourceSpec, { useDefaults: true }, [
    { shop: 'my-shop', credentials: sourceAuth },
    { credentials: sourceAuth },
    { shop: 42, credentials: sourceAuth, start_date: '01/02/2024' },
    { shop: 'my-shop', credentials: { auth_method: 'magic' } },
    { shop: 'my-shop', credentials: { auth_method: 'api_password' }, bulk_window_in_days: 'thirty' },
  ]],
  ['destination config', destinationSpec, { useDefaults: true }, [{}, { bucket_name: 7 }, { unknown: true }]],
  ['configured catalog', catalogSchema, {}, [
    { streams: [{ stream, sync_mode: 'full_refresh', destination_sync_mode: 'append' }] },
    { streams: [{ stream, sync_mode: 'sometimes', destination_sync_mode: 'append' }] },
    { streams: 'none' },
    {},
  ]],
];

describe('precompiled input validators', () => {
  it.each(cases)('the build compiles the %s validator, and it answers exactly as one compiled at run time', async (root, schema, options, inputs) => {
    const file = `${PACKAGE_ROOT}dist/runtime/compiled/${validatorKey(schema, options)}.js`;
    expect(existsSync(file), `${file} (npm run build makes it)`).toBe(true);
    const compiled = (await import(pathToFileURL(file).href)) as { default: ValidateFunction };
    const precompiled = inputValidator(compiled.default, schema, root);
    const runtime = createInputValidator(schema, root, options);
    const errors = inputs.map((input) => outcome(precompiled, input)).filter((o) => 'error' in (o as object));
    expect(errors.length).toBeGreaterThan(0);
    for (const input of inputs) expect(outcome(precompiled, input)).toEqual(outcome(runtime, input));
  });

  it('names a module by schema and options, so a changed schema never uses a stale one', () => {
    expect(validatorKey(sourceSpec, { useDefaults: true })).not.toBe(validatorKey(sourceSpec, {}));
    expect(validatorKey({ ...sourceSpec, title: 'changed' }, { useDefaults: true })).not.toBe(validatorKey(sourceSpec, { useDefaults: true }));
  });

  it('compiles a schema without a module at run time', async () => {
    const validate = await loadInputValidator<{ n: number }>({ type: 'object', required: ['n'], properties: { n: { type: 'integer', default: 1 } } }, 'thing', { useDefaults: true });
    expect(outcome(validate, {})).toEqual({ ok: { n: 1 } });
    expect(outcome(validate, { n: 'x' })).toEqual({ error: 'Invalid thing: thing.n must be integer' });
  });
});
