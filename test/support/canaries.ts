/**
 * Canary secrets used across the whole suite, and the scanner that looks for them in everything a
 * connector printed. A canary must never appear in connector output, in any form it could leak as:
 * raw, JSON-escaped (once or twice), URL-encoded, or base64/base64url (at any byte alignment, so a
 * canary inside a larger encoded blob is found too).
 *
 * - `simulator-token` / `simulator-client-secret`: the simulator's default access token and client
 *   secret, which every source test authenticates with (simConfig uses `sim.accessToken`).
 * - `CANARY_TOKEN`: the `shpat_canary_…` token of the bad-input and secrets suites.
 * - `CANARY_SERVICE_ACCOUNT`: a syntactically valid (fake) service-account key for destination configs;
 *   the emulator ignores credentials on a loopback endpoint, so it is carried but never used.
 */
import { createReadStream, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export const SIMULATOR_TOKEN = 'simulator-token';
export const SIMULATOR_CLIENT_SECRET = 'simulator-client-secret';
export const CANARY_TOKEN = 'shpat_canary_7d1e0b5a9c3f4e21b8a6d0c2f5e9a713';
export const CANARY_CLIENT_SECRET = 'canary-client-secret-5b2f8e91d4c7a036';

/** The recognisable body of the canary private key (base64 alphabet, 64-character lines like a PEM). */
const KEY_LINES = [
  'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQCanaryKeyBody01',
  'CANARYcanaryCANARYcanaryPrivateKeyBodyThatMustNeverLeak0123456789',
  'c2VjcmV0LWNhbmFyeS1rZXktYm9keS1kby1ub3QtcHJpbnQtdGhpcy1hbnl3aGVyZQ',
];
export const CANARY_PRIVATE_KEY_ID = 'c4a9a7f0e2b1d3c5a6b7c8d9e0f1a2b3canary00';
export const CANARY_PRIVATE_KEY = `-----BEGIN PRIVATE KEY-----\n${KEY_LINES.join('\n')}\n-----END PRIVATE KEY-----\n`;
export const CANARY_SERVICE_ACCOUNT_JSON = JSON.stringify({
  type: 'service_account',
  project_id: 'canary-project',
  private_key_id: CANARY_PRIVATE_KEY_ID,
  private_key: CANARY_PRIVATE_KEY,
  client_email: 'canary-writer@canary-project.iam.gserviceaccount.com',
  client_id: '100000000000000000001',
  auth_uri: 'https://accounts.google.com/o/oauth2/auth',
  token_uri: 'https://oauth2.googleapis.com/token',
});
/** The destination `credential` block every destination CLI test with credentials uses. */
export const CANARY_SERVICE_ACCOUNT = { credential_type: 'SERVICE_ACCOUNT_KEY', service_account_json: CANARY_SERVICE_ACCOUNT_JSON } as const;

export const CANARIES: readonly string[] = [
  SIMULATOR_TOKEN,
  SIMULATOR_CLIENT_SECRET,
  CANARY_TOKEN,
  CANARY_CLIENT_SECRET,
  CANARY_PRIVATE_KEY_ID,
  CANARY_PRIVATE_KEY,
  ...KEY_LINES,
  CANARY_SERVICE_ACCOUNT_JSON,
];

/** The environment variable naming the run's capture directory (set by global setup). */
export const CAPTURE_DIR_ENV = 'CONNECTOR_OUTPUT_CAPTURE_DIR';

/**
 * Base64 of `secret` as it appears inside any larger base64 text: for each of the three byte
 * alignments, the characters that depend on the secret's bytes alone.
 */
function embeddedBase64(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const out: string[] = [];
  for (let shift = 0; shift < 3; shift++) {
    const encoded = Buffer.concat([Buffer.alloc(shift), bytes]).toString('base64').replace(/=+$/, '');
    const usable = Math.floor((shift + bytes.length) / 3) * 4; // whole groups only: the tail mixes with what follows
    const core = encoded.slice(shift === 0 ? 0 : 4, usable);
    if (core.length >= 8) out.push(core, core.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return out;
}

export interface CanaryForm {
  canary: string;
  encoding: string;
  text: string;
}

export function canaryForms(canaries: readonly string[] = CANARIES): CanaryForm[] {
  const forms = new Map<string, CanaryForm>();
  const add = (canary: string, encoding: string, text: string): void => {
    if (text.length >= 8 && !forms.has(text)) forms.set(text, { canary, encoding, text });
  };
  for (const c of canaries) {
    add(c, 'raw', c);
    add(c, 'JSON-escaped', JSON.stringify(c).slice(1, -1));
    add(c, 'JSON-escaped twice', JSON.stringify(JSON.stringify(c)).slice(3, -3));
    add(c, 'URL-encoded', encodeURIComponent(c));
    add(c, 'form-encoded', new URLSearchParams({ v: c }).toString().slice(2));
    for (const b of embeddedBase64(c)) add(c, 'base64', b);
  }
  return [...forms.values()];
}

export interface CanaryFinding {
  file: string;
  canary: string;
  encoding: string;
  /** A few characters around the hit, with the canary itself masked. */
  context: string;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

export interface CanaryScanner {
  /** Every canary form found in `text` (one finding per form). */
  scan(text: string, file?: string): CanaryFinding[];
  /** Streams each file of a directory (recursively) through the scanner. */
  scanDirectory(dir: string): Promise<CanaryFinding[]>;
}

export function createCanaryScanner(canaries: readonly string[] = CANARIES): CanaryScanner {
  const forms = canaryForms(canaries).sort((a, b) => b.text.length - a.text.length);
  const byText = new Map(forms.map((f) => [f.text, f]));
  const pattern = new RegExp(forms.map((f) => escapeRegExp(f.text)).join('|'), 'g');
  const longest = forms[0]?.text.length ?? 0;

  const scan = (text: string, file = '<text>'): CanaryFinding[] => {
    const found = new Map<string, CanaryFinding>();
    for (const m of text.matchAll(pattern)) {
      const form = byText.get(m[0])!;
      const at = m.index ?? 0;
      const context = `${text.slice(Math.max(0, at - 40), at)}<${form.encoding} canary>${text.slice(at + m[0].length, at + m[0].length + 40)}`;
      if (!found.has(form.text)) found.set(form.text, { file, canary: form.canary.slice(0, 24), encoding: form.encoding, context });
    }
    return [...found.values()];
  };

  const scanFile = async (file: string): Promise<CanaryFinding[]> => {
    const found = new Map<string, CanaryFinding>();
    let carry = '';
    // latin1 maps bytes 1:1, so a chunk boundary never splits a character and every form stays ASCII.
    for await (const chunk of createReadStream(file, { encoding: 'latin1', highWaterMark: 1 << 20 })) {
      const text = carry + (chunk as string);
      for (const f of scan(text, file)) found.set(`${f.encoding}:${f.canary}`, f);
      carry = text.slice(Math.max(0, text.length - longest));
    }
    return [...found.values()];
  };

  const scanDirectory = async (dir: string): Promise<CanaryFinding[]> => {
    const findings: CanaryFinding[] = [];
    const walk = async (d: string): Promise<void> => {
      for (const name of readdirSync(d).sort()) {
        const path = join(d, name);
        if (statSync(path).isDirectory()) await walk(path);
        else findings.push(...(await scanFile(path)));
      }
    };
    await walk(dir);
    return findings;
  };

  return { scan, scanDirectory };
}

export function describeFindings(findings: readonly CanaryFinding[]): string {
  return findings.map((f) => `  ${f.file}: ${f.encoding} form of canary "${f.canary}…" near: ${JSON.stringify(f.context)}`).join('\n');
}
