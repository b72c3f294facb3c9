import { describe, expect, it } from 'vitest';
import { collectSecrets, createRedactor } from '../../../src/runtime/redact.js';

const spec = {
  type: 'object',
  properties: {
    shop: { type: 'string' },
    credentials: {
      type: 'object',
      oneOf: [
        { properties: { auth_method: { const: 'api_password' }, api_password: { type: 'string', airbyte_secret: true } } },
        { properties: { auth_method: { const: 'client_credentials' }, client_id: { type: 'string' }, client_secret: { type: 'string', airbyte_secret: true } } },
      ],
    },
    key: { type: 'string', airbyte_secret: true },
  },
};

describe('secret redaction', () => {
  it('collects the values of airbyte_secret fields, inside oneOf variants too', () => {
    const secrets = collectSecrets(spec, { shop: 'my-shop', credentials: { auth_method: 'client_credentials', client_id: 'public-id', client_secret: 'canary-secret-1' } });
    expect(secrets).toEqual(['canary-secret-1']);
  });

  it('masks raw, JSON-escaped, URL-encoded and base64 forms', () => {
    const secret = 'p@ss/wörd"1+';
    const redact = createRedactor([secret]);
    const text = [secret, JSON.stringify(secret), encodeURIComponent(secret), Buffer.from(secret).toString('base64'), JSON.stringify(JSON.stringify({ t: secret }))].join(' | ');
    const out = redact(text);
    expect(out).not.toContain('p@ss');
    expect(out).not.toContain(encodeURIComponent(secret));
    expect(out).not.toContain(Buffer.from(secret).toString('base64'));
    expect(out).toContain('**********');
  });

  it('masks the private key inside a service-account JSON secret, line by line', () => {
    const body = 'MIIEvQIBADANBgkqhkiG9w0BAQEFAASC';
    const key = JSON.stringify({ client_email: 'a@b.iam', private_key: `-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\n` });
    const redact = createRedactor(collectSecrets(spec, { key }));
    expect(redact(`error near ${body} in key`)).toBe('error near ********** in key');
    expect(redact('a@b.iam')).toBe('a@b.iam');
  });

  it('leaves text alone when there are no secrets', () => {
    expect(createRedactor([])('hello')).toBe('hello');
  });
});
