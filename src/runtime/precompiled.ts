/**
 * Input validators compiled by `npm run build` (scripts/compile-validators.mjs) into ajv standalone
 * modules under dist/runtime/compiled/, one per schema and options, named by a hash of both. Loading
 * ajv and compiling the config and catalog schemas cost ~300 ms of CPU at every start; a precompiled
 * module loads in a few ms. A schema without a module (tests run from src/, or a spec a test made up)
 * is compiled at run time, so the validator in use always matches the schema in use.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { ValidateFunction } from 'ajv';
import { inputValidator, type InputValidator } from './input-errors.js';

export interface ValidatorOptions {
  useDefaults?: boolean;
}

/** The name of a schema's precompiled module: any change to the schema or the options changes it. */
export function validatorKey(schema: object, options: ValidatorOptions = {}): string {
  return createHash('sha256')
    .update(JSON.stringify({ schema, useDefaults: options.useDefaults ?? false }))
    .digest('hex')
    .slice(0, 24);
}

export const COMPILED_DIR = new URL('./compiled/', import.meta.url);

export function compiledFile(schema: object, options: ValidatorOptions = {}): URL {
  return new URL(`${validatorKey(schema, options)}.js`, COMPILED_DIR);
}

/** The validator of one kind of user input: precompiled when the build made one, else compiled now. */
export async function loadInputValidator<T>(schema: object, root: string, options: ValidatorOptions = {}): Promise<InputValidator<T>> {
  const file = compiledFile(schema, options);
  if (existsSync(fileURLToPath(file))) {
    const compiled = (await import(file.href)) as { default: ValidateFunction };
    return inputValidator<T>(compiled.default, schema, root);
  }
  const { createInputValidator } = await import('./validate.js');
  return createInputValidator<T>(schema, root, options);
}
