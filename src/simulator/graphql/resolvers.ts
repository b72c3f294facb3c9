/**
 * The schema-generic resolvers: a record's property answers its field (functions are called with the
 * field's arguments; arrays become connections where the schema says so), a reference stub loads its
 * full record on first use, and every field the store does not model gets a deterministic
 * type-correct value, so any valid selection executes. The bulk writer reads fields the same way.
 */
import type { GraphQLFieldResolver, GraphQLOutputType, GraphQLSchema, GraphQLTypeResolver } from 'graphql';
import { connectionOf } from './connection.js';
import type { PageArgs } from './connection.js';
import type { ExecContext } from './context.js';
import { filterNested } from './nested-filter.js';
import { isConnectionType, synthesize } from './values.js';
import type { Rec } from '../store/types.js';

type Thunk = (args: unknown, context: unknown, info: unknown) => unknown;

/** The raw value of a field on a record (child lists stay arrays), or a synthesized one. */
export function readField(schema: GraphQLSchema, source: unknown, name: string, args: Record<string, unknown>, returnType: GraphQLOutputType, context: unknown, info?: unknown): unknown {
  if (source !== null && typeof source === 'object') {
    const record = source as Rec;
    let value = record[name];
    if (value === undefined && typeof record.__load === 'function') {
      const full = (record.__full ??= (record.__load as () => Rec | null)() ?? {}) as Rec;
      value = full[name];
    }
    if (value !== undefined) return typeof value === 'function' ? (value as Thunk)(args, context, info) : value;
    const key = String(record.id ?? record.__key ?? record.__typename ?? 'Node').replace('gid://shopify/', '');
    return synthesize(schema, returnType, key, name);
  }
  return synthesize(schema, returnType, 'Node', name);
}

export const fieldResolver: GraphQLFieldResolver<unknown, ExecContext> = (source, args, context, info) => {
  const value = readField(context.schema, source, info.fieldName, args, info.returnType, context, info);
  if (Array.isArray(value) && isConnectionType(info.returnType)) {
    return connectionOf(filterNested(value as Rec[], args), args as PageArgs, context.bulk !== undefined);
  }
  return value;
};

export const typeResolver: GraphQLTypeResolver<unknown, ExecContext> = (value, _context, _info, abstractType) => {
  const name = (value as Rec | null)?.__typename;
  if (typeof name === 'string') return name;
  return abstractType.name;
};
