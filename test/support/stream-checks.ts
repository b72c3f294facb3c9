/**
 * The standard per-stream checks (after Airbyte's acceptance tests at high strictness), as pure
 * functions returning problems, so the suite can prove each one fails on a deliberately broken input.
 */
import type { AirbyteMessage } from '../../src/protocol/messages.js';
import { createAjv } from '../../src/runtime/validate.js';

export interface StreamShape {
  name: string;
  json_schema: Record<string, unknown>;
  primaryKey: string[][];
  cursorField: string[] | undefined;
}

const FORBIDDEN = ['$ref', 'allOf', 'not', 'anyOf', 'oneOf', 'patternProperties', 'if', 'then', 'else'];

/** Walks a schema's keywords (not property names) and reports forbidden ones and a non-true additionalProperties. */
function keywordProblems(node: unknown, path: string, out: string[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => keywordProblems(item, `${path}[${i}]`, out));
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  for (const [key, value] of Object.entries(node)) {
    if (key === 'properties' && typeof value === 'object' && value !== null) {
      for (const [prop, sub] of Object.entries(value)) keywordProblems(sub, `${path}.properties.${prop}`, out);
      continue;
    }
    if (FORBIDDEN.includes(key)) out.push(`${path} uses the forbidden keyword ${key}`);
    if (key === 'additionalProperties' && value !== true) out.push(`${path}.additionalProperties is not true`);
    keywordProblems(value, `${path}.${key}`, out);
  }
}

function propertyAt(schema: Record<string, unknown>, path: string[]): Record<string, unknown> | undefined {
  let node: unknown = schema;
  for (const part of path) {
    const properties = (node as { properties?: Record<string, unknown> } | undefined)?.properties;
    node = properties?.[part];
    if (node === undefined) return undefined;
  }
  return node as Record<string, unknown>;
}

function types(node: Record<string, unknown>): string[] {
  const t = node.type;
  return Array.isArray(t) ? t.map(String) : typeof t === 'string' ? [t] : [];
}

/** Draft-07 validity, forbidden keywords, additionalProperties, PK and cursor present, PK types scalar. */
export function schemaProblems(stream: StreamShape): string[] {
  const out: string[] = [];
  const ajv = createAjv();
  if (!ajv.validateSchema(stream.json_schema)) out.push(`${stream.name}: not a valid draft-07 schema: ${ajv.errorsText(ajv.errors)}`);
  if (typeof stream.json_schema.properties !== 'object') out.push(`${stream.name}: the schema has no properties`);
  keywordProblems(stream.json_schema, stream.name, out);
  for (const key of stream.primaryKey) {
    const prop = propertyAt(stream.json_schema, key);
    if (!prop) out.push(`${stream.name}: primary key ${key.join('.')} is not in the schema`);
    else if (types(prop).some((t) => t === 'object' || t === 'array')) out.push(`${stream.name}: primary key ${key.join('.')} has type ${types(prop).join('|')}`);
  }
  if (stream.primaryKey.length === 0) out.push(`${stream.name}: no primary key`);
  if (stream.cursorField && !propertyAt(stream.json_schema, stream.cursorField)) out.push(`${stream.name}: cursor ${stream.cursorField.join('.')} is not in the schema`);
  return out;
}

function valueAt(record: Record<string, unknown>, path: string[]): unknown {
  let node: unknown = record;
  for (const part of path) node = (node as Record<string, unknown> | null | undefined)?.[part];
  return node;
}

/** Every record validates, has no top-level key outside the schema, and a unique non-null primary key. */
export function recordProblems(stream: StreamShape, records: readonly Record<string, unknown>[]): string[] {
  const out: string[] = [];
  const validate = createAjv().compile(stream.json_schema);
  const known = new Set(Object.keys((stream.json_schema.properties as Record<string, unknown> | undefined) ?? {}));
  const seen = new Set<string>();
  records.forEach((record, i) => {
    if (!validate(record)) out.push(`${stream.name} record ${i}: ${JSON.stringify(validate.errors?.slice(0, 3))}`);
    const extra = Object.keys(record).filter((k) => !known.has(k));
    if (extra.length) out.push(`${stream.name} record ${i}: top-level fields outside the schema: ${extra.join(', ')}`);
    const pk = stream.primaryKey.map((path) => valueAt(record, path));
    if (pk.some((v) => v === null || v === undefined)) out.push(`${stream.name} record ${i}: null primary key`);
    else if (pk.some((v) => typeof v === 'object')) out.push(`${stream.name} record ${i}: primary key is not a scalar`);
    const key = JSON.stringify(pk);
    if (seen.has(key)) out.push(`${stream.name} record ${i}: duplicate primary key ${key}`);
    seen.add(key);
  });
  return out;
}

type Trace = Extract<AirbyteMessage, { type: 'TRACE' }>['trace'];

/** At least one per-stream STATE with `sourceStats.recordCount`, and the stream's status sequence. */
export function messageProblems(name: string, messages: readonly AirbyteMessage[]): string[] {
  const out: string[] = [];
  const states = messages.flatMap((m) => (m.type === 'STATE' && m.state.type === 'STREAM' && m.state.stream?.stream_descriptor.name === name ? [m.state] : []));
  if (states.length === 0) out.push(`${name}: no STATE message`);
  for (const state of states) {
    if (typeof state.sourceStats?.recordCount !== 'number') out.push(`${name}: a STATE without sourceStats.recordCount`);
  }
  const statuses = messages.flatMap((m) => {
    const trace: Trace | undefined = m.type === 'TRACE' ? m.trace : undefined;
    const status = trace?.type === 'STREAM_STATUS' ? trace.stream_status : undefined;
    return status && status.stream_descriptor.name === name ? [status.status] : [];
  });
  const ordered = statuses.length >= 3 && statuses[0] === 'STARTED' && statuses.at(-1) === 'COMPLETE'
    && statuses.slice(1, -1).every((s) => s === 'RUNNING');
  if (!ordered) out.push(`${name}: stream statuses are ${statuses.join(' → ') || 'missing'}, expected STARTED → RUNNING… → COMPLETE`);
  return out;
}
