import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/runtime/errors.js';
import { PACKAGE_ROOT } from '../../../src/runtime/files.js';
import { createInputValidator } from '../../../src/runtime/validate.js';

const spec = JSON.parse(readFileSync(`${PACKAGE_ROOT}schemas/spec.source.json`, 'utf8')).connectionSpecification;
const validate = createInputValidator<Record<string, unknown>>(spec, 'config', { useDefaults: true });
const good = { shop: 'my-shop', credentials: { auth_method: 'api_password', api_password: 'shpat_secret' } };

function problems(config: unknown): string {
  try {
    validate(config);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  return '';
}

describe('config validation', () => {
  it('fills in defaults', () => {
    const config = validate(good);
    expect(config.start_date).toBe('2020-01-01');
    expect(config.bulk_window_in_days).toBe(30);
    expect(config.api_version).toBe('2026-07');
  });

  it('names each violation by its path', () => {
    expect(problems({ credentials: good.credentials })).toBe('Invalid config: config.shop is required');
    expect(problems({ ...good, shop: 42 })).toMatch(/config\.shop must be string/);
    expect(problems({ ...good, start_date: '01/02/2024' })).toMatch(/config\.start_date must (match format "date"|match pattern)/);
    expect(problems({ ...good, bulk_window_in_days: 'thirty' })).toMatch(/config\.bulk_window_in_days must be integer/);
  });

  it('reports the chosen auth variant only, and unknown auth methods clearly', () => {
    expect(problems({ ...good, credentials: { auth_method: 'api_password' } })).toBe('Invalid config: config.credentials.api_password is required');
    expect(problems({ ...good, credentials: { auth_method: 'magic', api_password: 'x' } })).toBe(
      'Invalid config: config.credentials.auth_method must be one of "oauth2.0", "api_password", "client_credentials"',
    );
  });
});
