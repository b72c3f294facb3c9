/**
 * Turning JSON Schema violations into messages a person can act on: every violation is named by its
 * JSON path; a oneOf is narrowed to the variant the input chose by its `const` discriminator so the
 * user sees that variant's problems, not every variant's. Kept apart from the ajv compiler, so a
 * command with precompiled validators never loads it.
 */
import type { ErrorObject, ValidateFunction } from 'ajv';
import { ConfigError } from './errors.js';

function pathOf(error: ErrorObject, root: string): string {
  const parts = error.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  if (error.keyword === 'required') parts.push(String((error.params as { missingProperty: string }).missingProperty));
  if (error.keyword === 'additionalProperties') parts.push(String((error.params as { additionalProperty: string }).additionalProperty));
  return [root, ...parts].map((p, i) => (i > 0 && /^\d+$/.test(p) ? `[${p}]` : p)).join('.').replace(/\.\[/g, '[');
}

function describe(error: ErrorObject): string {
  switch (error.keyword) {
    case 'required':
      return 'is required';
    case 'enum':
      return `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'const':
      return `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    default:
      return error.message ?? 'is invalid';
  }
}

/** Keeps only the errors of the oneOf variant whose const discriminator matches the data. */
function narrowOneOf(errors: ErrorObject[], schema: unknown, data: unknown): ErrorObject[] {
  const result: ErrorObject[] = [];
  const oneOfs = errors.filter((e) => e.keyword === 'oneOf');
  const dropped = new Set<ErrorObject>();
  for (const oneOf of oneOfs) {
    const prefix = oneOf.schemaPath.replace(/^#/, '');
    const variants = (prefix.split('/').slice(1).reduce<unknown>((s, k) => (s as Record<string, unknown>)?.[k], schema) ?? []) as Array<{
      properties?: Record<string, { const?: unknown }>;
    }>;
    const value = oneOf.instancePath.split('/').slice(1).reduce<unknown>((d, k) => (d as Record<string, unknown>)?.[k], data);
    const inner = errors.filter((e) => e !== oneOf && e.schemaPath.startsWith(`#${prefix}/`));
    const discriminator = Object.entries(variants[0]?.properties ?? {}).find(([, p]) => p.const !== undefined)?.[0];
    if (!discriminator || typeof value !== 'object' || value === null) continue;
    const chosen = (value as Record<string, unknown>)[discriminator];
    const index = variants.findIndex((v) => v.properties?.[discriminator]?.const === chosen);
    for (const e of inner) dropped.add(e);
    dropped.add(oneOf);
    if (index === -1) {
      const allowed = variants.map((v) => JSON.stringify(v.properties?.[discriminator]?.const)).join(', ');
      result.push({ ...oneOf, keyword: 'enum', instancePath: `${oneOf.instancePath}/${discriminator}`, params: { allowedValues: [] }, message: `must be one of ${allowed}` });
    } else {
      result.push(...inner.filter((e) => e.schemaPath.startsWith(`#${prefix}/${index}/`)));
    }
  }
  return [...errors.filter((e) => !dropped.has(e)), ...result];
}

export function formatValidationErrors(errors: ErrorObject[], schema: unknown, data: unknown, root: string): string[] {
  const seen = new Set<string>();
  const messages: string[] = [];
  for (const e of narrowOneOf(errors, schema, data)) {
    if (e.keyword === 'if') continue;
    const text = `${pathOf(e, root)} ${e.keyword === 'enum' && e.message?.startsWith('must be one of') ? e.message : describe(e)}`;
    if (!seen.has(text)) messages.push(text);
    seen.add(text);
  }
  return messages;
}

export interface InputValidator<T> {
  /** Returns the input (with schema defaults filled in) or throws a ConfigError naming every violation. */
  (data: unknown): T;
}

/** Wraps a compiled validator of one kind of user input ("config", "catalog", "state"). */
export function inputValidator<T>(validate: ValidateFunction, schema: object, root: string): InputValidator<T> {
  return (data: unknown): T => {
    const copy = structuredClone(data);
    if (validate(copy)) return copy as T;
    const problems = formatValidationErrors(validate.errors ?? [], schema, copy, root);
    throw new ConfigError(`Invalid ${root}: ${problems.join('; ')}`);
  };
}
