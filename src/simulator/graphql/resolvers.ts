/**
 * The schema-generic resolvers: a record's property answers its field (functions are called with the
 * field's arguments; arrays become connections where the schema says so), and every field the store
 * does not model gets a deterministic type-correct value, so any valid selection executes.
 */
import type { GraphQLFieldResolver, GraphQLTypeResolver } from 'graphql';
import { connectionOf } from './connection.js';
import type { PageArgs } from './connection.js';
import type { ExecContext } from './context.js';
import { isConnectionType, synthesize } from './values.js';
import type { Rec } from '../store/types.js';

export const fieldResolver: GraphQLFieldResolver<unknown, ExecContext> = (source, args, context, info) => {
  const record = source as Rec | null;
  if (record !== null && typeof record === 'object') {
    const value = record[info.fieldName];
    if (value !== undefined) {
      if (typeof value !== 'function') return value;
      const result: unknown = (value as (a: unknown, c: ExecContext, i: unknown) => unknown)(args, context, info);
      if (Array.isArray(result) && isConnectionType(info.returnType)) {
        return connectionOf(result as Rec[], args as PageArgs, context.bulk !== undefined);
      }
      return result;
    }
  }
  const key = record && typeof record === 'object'
    ? String(record.id ?? record.__key ?? info.parentType.name).replace('gid://shopify/', '')
    : info.parentType.name;
  return synthesize(context.schema, info.returnType, key, info.fieldName);
};

export const typeResolver: GraphQLTypeResolver<unknown, ExecContext> = (value, _context, _info, abstractType) => {
  const name = (value as Rec | null)?.__typename;
  if (typeof name === 'string') return name;
  return abstractType.name;
};
