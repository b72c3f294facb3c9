/**
 * Shopify-style top-level errors. Shopify runs graphql-ruby, whose messages and `extensions.code`
 * differ from graphql-js; the common validation failures are translated here.
 */
import type { GraphQLError } from 'graphql';

export interface ShopifyError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

function located(error: GraphQLError): Pick<ShopifyError, 'locations'> {
  return error.locations?.length ? { locations: error.locations.map(({ line, column }) => ({ line, column })) } : {};
}

/** Translates a graphql-js validation error into graphql-ruby's wording and codes. */
export function shopifyValidationError(error: GraphQLError): ShopifyError {
  const message = error.message;
  let match = /^Cannot query field "(\w+)" on type "(\w+)"/.exec(message);
  if (match) {
    return { message: `Field '${match[1]}' doesn't exist on type '${match[2]}'`, ...located(error), extensions: { code: 'undefinedField', typeName: match[2], fieldName: match[1] } };
  }
  match = /^Field "(\w+)" argument "(\w+)" of type "([^"]+)" is required, but it was not provided\./.exec(message);
  if (match) {
    return { message: `Field '${match[1]}' is missing required arguments: ${match[2]}`, ...located(error), extensions: { code: 'missingRequiredArguments', className: 'Field', name: match[1], arguments: match[2] } };
  }
  match = /^Unknown argument "(\w+)" on field "\w+\.(\w+)"/.exec(message);
  if (match) {
    return { message: `Field '${match[2]}' doesn't accept argument '${match[1]}'`, ...located(error), extensions: { code: 'argumentNotAccepted', name: match[2], typeName: 'Field', argumentName: match[1] } };
  }
  match = /^Field "(\w+)" of type "([^"]+)" must have a selection of subfields/.exec(message);
  if (match) {
    const typeName = (match[2] ?? '').replace(/[[\]!]/g, '');
    return { message: `Field must have selections (field '${match[1]}' returns ${typeName} but has no selections. Did you mean '${match[1]} { ... }'?)`, ...located(error), extensions: { code: 'selectionMismatch', nodeName: `field '${match[1]}'`, typeName } };
  }
  match = /^Unknown type "(\w+)"/.exec(message);
  if (match) {
    return { message: `No such type ${match[1]}, so it can't be a fragment condition`, ...located(error), extensions: { code: 'undefinedType', typeName: match[1] } };
  }
  if (error.extensions.code) return { message, ...located(error), ...(error.path ? { path: [...error.path] } : {}), extensions: { ...error.extensions } };
  return { message, ...located(error), extensions: { code: 'validationError' } };
}

/** graphql-ruby's parse error wording, e.g. `syntax error, unexpected end of file`. */
export function syntaxMessage(error: GraphQLError): string {
  const found = /found (.+?)\.?$/.exec(error.message)?.[1] ?? '';
  if (found === '<EOF>' || found === '') return 'syntax error, unexpected end of file';
  return `syntax error, unexpected ${found.replace(/^"(.*)"$/, '$1')}`;
}

/** A resolver error as it appears in the response (message, locations, path, extensions). */
export function executionError(error: GraphQLError): ShopifyError {
  return {
    message: error.message,
    ...located(error),
    ...(error.path ? { path: [...error.path] } : {}),
    ...(Object.keys(error.extensions).length ? { extensions: { ...error.extensions } } : {}),
  };
}
