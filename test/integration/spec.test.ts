import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../../src/runtime/files.js';
import { createInputValidator } from '../../src/runtime/validate.js';
import { expectValidMessages } from '../support/protocol.js';
import { runCli, type Bin } from '../support/run-cli.js';
import { specProblems } from '../support/spec-checks.js';
import type { ConnectorSpecification } from '../../src/protocol/messages.js';

const connectors: Array<{ bin: Bin; example: string }> = [
  { bin: 'source-shopify', example: 'secrets.example.json' },
  { bin: 'destination-gcs', example: 'secrets.destination.example.json' },
];

describe.each(connectors)('$bin spec', ({ bin, example }) => {
  let spec: ConnectorSpecification;

  it('prints exactly one SPEC message that validates against the protocol', async () => {
    const result = await runCli(bin, ['spec']);
    expect(result.exitCode).toBe(0);
    expectValidMessages(result.messages);
    expect(result.messages.map((m) => m.type)).toEqual(['SPEC']);
    spec = (result.messages[0] as { spec: ConnectorSpecification }).spec;
  });

  it('passes the acceptance-test spec checks', () => {
    expect(specProblems(spec)).toEqual([]);
  });

  it('accepts the example config', () => {
    const config = JSON.parse(readFileSync(`${PACKAGE_ROOT}${example}`, 'utf8'));
    expect(() => createInputValidator(spec.connectionSpecification, 'config')(config)).not.toThrow();
  });
});

describe('source spec content', () => {
  const spec = JSON.parse(readFileSync(`${PACKAGE_ROOT}schemas/spec.source.json`, 'utf8')) as ConnectorSpecification;
  const props = spec.connectionSpecification.properties as Record<string, { default?: unknown }>;

  it('offers every config field of the contract with its default', () => {
    for (const field of ['shop', 'credentials', 'start_date', 'bulk_window_in_days', 'job_termination_threshold', 'job_checkpoint_interval', 'lookback_window_in_days', 'api_version', 'max_concurrent_bulk_operations', 'api_base_url']) {
      expect(props, field).toHaveProperty(field);
    }
    expect(props.start_date?.default).toBe('2020-01-01');
    expect(props.bulk_window_in_days?.default).toBe(30);
    expect(props.api_version?.default).toBe('2026-07');
  });

  it('offers the three auth methods, OAuth first', () => {
    const variants = (props.credentials as unknown as { oneOf: Array<{ properties: { auth_method: { const: string } } }> }).oneOf;
    expect(variants.map((v) => v.properties.auth_method.const)).toEqual(['oauth2.0', 'api_password', 'client_credentials']);
  });
});

describe('spec checks self-test', () => {
  it('finds a $ref, a closed object, an unmarked secret and a oneOf without a const', () => {
    const broken = {
      connectionSpecification: {
        type: 'object',
        additionalProperties: false,
        properties: {
          password: { type: 'string' },
          x: { $ref: '#/definitions/y' },
          auth: { type: 'object', oneOf: [{ properties: { a: { type: 'string' } } }, { properties: { a: { type: 'string' } } }] },
        },
      },
    };
    const problems = specProblems(broken).join('\n');
    expect(problems).toMatch(/\$ref/);
    expect(problems).toMatch(/additionalProperties must be true/);
    expect(problems).toMatch(/password: must be marked airbyte_secret/);
    expect(problems).toMatch(/exactly one common const/);
  });
});
