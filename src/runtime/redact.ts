/**
 * Secret redaction. Every value the spec marks `airbyte_secret` (plus the sensitive parts of a
 * service-account key) is masked in all LOG/TRACE/CONNECTION_STATUS output and on stderr, in the
 * forms it could leak as: raw, JSON-escaped, URL-encoded and base64.
 */
const MASK = '**********';
const MIN_SECRET_LENGTH = 4;

type JsonSchema = { properties?: Record<string, JsonSchema>; oneOf?: JsonSchema[]; airbyte_secret?: boolean; type?: unknown };

function secretValues(schema: JsonSchema | undefined, value: unknown, out: Set<string>): void {
  if (!schema || value === null || typeof value !== 'object') return;
  const variants = [schema, ...(schema.oneOf ?? [])];
  for (const variant of variants) {
    for (const [key, child] of Object.entries(variant.properties ?? {})) {
      const v = (value as Record<string, unknown>)[key];
      if (child.airbyte_secret && (typeof v === 'string' || typeof v === 'number')) addSecret(String(v), out);
      else secretValues(child, v, out);
    }
  }
}

/** Adds a secret and, for a JSON service-account key, the sensitive fields inside it. */
function addSecret(secret: string, out: Set<string>): void {
  if (secret.length < MIN_SECRET_LENGTH) return;
  out.add(secret);
  if (!secret.trimStart().startsWith('{')) return;
  try {
    const parsed = JSON.parse(secret) as Record<string, unknown>;
    for (const key of ['private_key', 'private_key_id', 'client_secret', 'refresh_token']) {
      const v = parsed[key];
      if (typeof v !== 'string') continue;
      addSecret(v, out);
      // A PEM key could leak line by line: mask each body line too.
      for (const line of v.split('\n')) if (line.length >= 16 && !line.startsWith('-----')) out.add(line);
    }
  } catch {
    /* not JSON: the whole string is already masked */
  }
}

export function collectSecrets(connectionSpecification: unknown, config: unknown): string[] {
  const out = new Set<string>();
  secretValues(connectionSpecification as JsonSchema, config, out);
  return [...out];
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export type Redactor = (text: string) => string;

export function createRedactor(secrets: Iterable<string>): Redactor {
  const forms = new Set<string>();
  for (const s of secrets) {
    if (s.length < MIN_SECRET_LENGTH) continue;
    forms.add(s);
    forms.add(JSON.stringify(s).slice(1, -1));
    forms.add(encodeURIComponent(s));
    forms.add(Buffer.from(s).toString('base64'));
    forms.add(Buffer.from(s).toString('base64url'));
    forms.add(JSON.stringify(JSON.stringify(s)).slice(3, -3)); // escaped twice (a message inside a message)
  }
  if (forms.size === 0) return (text) => text;
  // Longest first so a secret that contains another is masked whole.
  const pattern = new RegExp([...forms].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  return (text) => text.replace(pattern, MASK);
}

/** Routes everything written to a stream (stderr) through the redactor. */
export function redactStream(stream: NodeJS.WriteStream, redact: Redactor): void {
  const original = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : chunk;
    return original(typeof text === 'string' ? redact(text) : text, ...rest);
  }) as typeof stream.write;
}
