/**
 * JSON Schema validation for user input (config, catalog, state) compiled with ajv at run time (tests,
 * and any schema `npm run build` did not precompile: see precompiled.ts). Messages come from
 * input-errors.ts.
 */
import { Ajv, type Options, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { inputValidator, type InputValidator } from './input-errors.js';

export { formatValidationErrors, inputValidator, type InputValidator } from './input-errors.js';

// ajv-formats ships CJS with a default export; under NodeNext the callable is on `.default`.
const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

export interface AjvOptions {
  useDefaults?: boolean;
  /** Keep the generated source, for ajv's standalone code (the build's precompiled validators). */
  standalone?: boolean;
}

export function createAjv(options: AjvOptions = {}): Ajv {
  const ajvOptions: Options = { allErrors: true, strict: false, useDefaults: options.useDefaults ?? false, allowUnionTypes: true };
  if (options.standalone) ajvOptions.code = { source: true, esm: true };
  const ajv = new Ajv(ajvOptions);
  addFormats(ajv);
  return ajv;
}

export function compileValidator(schema: object, options: { useDefaults?: boolean } = {}): ValidateFunction {
  return createAjv(options).compile(schema);
}

/** Builds a validator for one kind of user input ("config", "catalog", "state"). */
export function createInputValidator<T>(schema: object, root: string, options: { useDefaults?: boolean } = {}): InputValidator<T> {
  return inputValidator<T>(compileValidator(schema, options), schema, root);
}
