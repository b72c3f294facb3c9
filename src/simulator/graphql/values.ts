/**
 * Deterministic, type-correct values for fields the store does not model, so any valid selection
 * executes: scalars by name, enums by their first value, objects as synthetic records, lists empty,
 * connections empty, interfaces and unions as their first possible type.
 */
import { getNullableType, isEnumType, isInterfaceType, isListType, isObjectType, isScalarType, isUnionType } from 'graphql';
import type { GraphQLObjectType, GraphQLOutputType, GraphQLSchema } from 'graphql';
import { hashString } from '../rng.js';
import { isoSeconds } from '../clock.js';

export function isConnectionType(type: GraphQLOutputType): type is GraphQLObjectType {
  const named = getNullableType(type);
  return isObjectType(named) && named.name.endsWith('Connection') && 'edges' in named.getFields();
}

export function emptyConnection(): Record<string, unknown> {
  return {
    edges: [],
    nodes: [],
    pageInfo: { __typename: 'PageInfo', hasNextPage: false, hasPreviousPage: false, startCursor: null, endCursor: null },
  };
}

function scalarValue(name: string, h: number, typeName: string, fieldName: string): unknown {
  switch (name) {
    case 'ID': return `gid://shopify/${typeName}/${h % 1_000_000_000}`;
    case 'String': return `${fieldName}-${h % 10_000}`;
    case 'Int': return h % 100;
    case 'Float': return (h % 10_000) / 100;
    case 'Boolean': return false;
    case 'DateTime': return isoSeconds(1_609_459_200_000 + (h % 157_680_000) * 1000);
    case 'Date': return isoSeconds(1_609_459_200_000 + (h % 157_680_000) * 1000).slice(0, 10);
    case 'Decimal':
    case 'Money': return '0.0';
    case 'UnsignedInt64':
    case 'BigInt': return '0';
    case 'URL': return `https://example.com/${fieldName}/${h % 10_000}`;
    case 'HTML': return '<p></p>';
    case 'JSON': return {};
    case 'Color': return '#000000';
    case 'UtcOffset': return '+00:00';
    case 'ARN': return `arn:aws:events:us-east-1::event-source/${h % 10_000}`;
    case 'StorefrontID': return `gid://shopify/${typeName}/${h % 1_000_000}`;
    default: return `${fieldName}-${h % 10_000}`;
  }
}

/** A value of `type` for field `fieldName` on a parent identified by `parentKey`. */
export function synthesize(schema: GraphQLSchema, type: GraphQLOutputType, parentKey: string, fieldName: string): unknown {
  const nullable = getNullableType(type);
  if (isListType(nullable)) return [];
  const h = hashString(`${parentKey}.${fieldName}`);
  if (isScalarType(nullable)) return scalarValue(nullable.name, h, parentKey.split('/')[0] ?? 'Node', fieldName);
  if (isEnumType(nullable)) return nullable.getValues()[0]?.value ?? null;
  if (isConnectionType(nullable)) return emptyConnection();
  let objectType: GraphQLObjectType | undefined;
  if (isObjectType(nullable)) objectType = nullable;
  else if (isInterfaceType(nullable) || isUnionType(nullable)) {
    objectType = [...schema.getPossibleTypes(nullable)].sort((a, b) => a.name.localeCompare(b.name))[0];
  }
  if (!objectType) return null;
  const record: Record<string, unknown> = { __typename: objectType.name, __key: `${objectType.name}/${h}` };
  if ('id' in objectType.getFields()) record.id = `gid://shopify/${objectType.name}/${h}`;
  return record;
}
