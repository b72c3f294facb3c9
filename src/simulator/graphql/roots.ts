/**
 * Root fields: the modelled resource connections and lookups, shop, app scopes, node(s), bulk
 * operation reads and the bulk mutations. Every other root resolves through the generic resolver.
 */
import { GraphQLError } from 'graphql';
import type { GraphQLResolveInfo } from 'graphql';
import { RESOURCE_SCOPE, hasScope } from '../auth.js';
import { isoSeconds } from '../clock.js';
import { locateGid } from '../store/ids.js';
import type { ResourceType } from '../store/ids.js';
import { selectIndexes } from '../store/query.js';
import type { Rec } from '../store/types.js';
import { parseSearch } from '../search.js';
import { groupObjectsDefault } from '../versions.js';
import { validateBulkQuery } from '../bulk/validate.js';
import { bulkOperationById, bulkOperationsConnection, currentBulkOperation } from './bulk-roots.js';
import { connectionOf, pageWindow } from './connection.js';
import type { PageArgs } from './connection.js';
import type { ExecContext } from './context.js';

type Args = Record<string, unknown>;
type Root = (args: Args, ctx: ExecContext, info: GraphQLResolveInfo) => unknown;

/** Root connection field → store resource. */
export const ROOT_RESOURCES: Readonly<Record<string, ResourceType>> = {
  orders: 'orders', products: 'products', productVariants: 'productVariants', customers: 'customers',
  inventoryItems: 'inventoryItems', locations: 'locations', collections: 'collections',
};

const SINGULAR: Readonly<Record<string, ResourceType>> = {
  order: 'orders', product: 'products', productVariant: 'productVariants', customer: 'customers',
  inventoryItem: 'inventoryItems', inventoryLevel: 'inventoryLevels', location: 'locations', collection: 'collections',
};

export function requireScope(ctx: ExecContext, type: ResourceType, field: string): void {
  const needed = RESOURCE_SCOPE[type];
  if (!hasScope(ctx.scopes, needed)) {
    throw new GraphQLError(`Access denied for ${field} field. Required access: \`${needed}\` access scope.`, {
      extensions: { code: 'ACCESS_DENIED', documentation: 'https://shopify.dev/api/usage/access-scopes', requiredAccess: `\`${needed}\` access scope.` },
    });
  }
}

function resourceConnection(type: ResourceType): Root {
  return (args, ctx, info) => {
    requireScope(ctx, type, info.fieldName);
    const { store } = ctx;
    if (ctx.bulk) {
      const records = ctx.bulk.indexes.map((index) => store.record(type, index)).filter((r): r is Rec => r !== null);
      return connectionOf(records, {}, true);
    }
    const page = args as PageArgs;
    if (typeof page.first !== 'number' && typeof page.last !== 'number') {
      throw new GraphQLError('you must provide one of first or last', { extensions: { code: 'BAD_REQUEST' } });
    }
    const query = typeof args.query === 'string' ? args.query : '';
    const selection = selectIndexes(store, type, parseSearch(query), args.sortKey as string | undefined, args.reverse === true);
    if (selection.warnings.length) {
      ctx.searchNotes.push({ path: [info.path.key], query, parsed: parseSearch(query).map((t) => ({ field: t.field, [t.op === '=' ? 'match_all' : 'range']: t.value })), warnings: selection.warnings });
    }
    const window = pageWindow(selection.indexes.length, { ...page, first: Math.min(page.first ?? 250, 250) });
    const records = selection.indexes.slice(window.start, window.end).map((index) => store.record(type, index)).filter((r): r is Rec => r !== null);
    return connectionOf(records, {}, true, window.start, selection.indexes.length);
  };
}

function lookup(type: ResourceType): Root {
  return (args, ctx, info) => {
    requireScope(ctx, type, info.fieldName);
    const located = locateGid(String(args.id));
    return located && located.type === type ? ctx.store.record(type, located.index) : null;
  };
}

function node(id: string, ctx: ExecContext): unknown {
  const job = ctx.operations.find(id);
  if (job) return ctx.operations.view(job);
  const located = locateGid(id);
  if (!located) return null;
  requireScope(ctx, located.type, 'node');
  return ctx.store.record(located.type, located.index);
}

function shop(_args: Args, ctx: ExecContext): Rec {
  return {
    __typename: 'Shop', id: 'gid://shopify/Shop/68817551660', name: ctx.shop.name, email: `owner@${ctx.shop.domain}`,
    contactEmail: `owner@${ctx.shop.domain}`, myshopifyDomain: ctx.shop.domain, url: `https://${ctx.shop.domain}`,
    currencyCode: ctx.shop.currencyCode, enabledPresentmentCurrencies: ['USD', 'EUR', 'GBP', 'CAD', 'JPY'],
    ianaTimezone: 'Etc/UTC', timezoneAbbreviation: 'UTC', timezoneOffset: '+0000', timezoneOffsetMinutes: 0,
    weightUnit: 'KILOGRAMS', unitSystem: 'METRIC_SYSTEM', taxesIncluded: false, taxShipping: false, setupRequired: false,
    checkoutApiSupported: true, shopOwnerName: 'Simulator Owner', description: 'A simulated shop', createdAt: isoSeconds(ctx.store.span.startMs),
    updatedAt: isoSeconds(ctx.store.span.startMs), orderNumberFormatPrefix: '#', orderNumberFormatSuffix: '',
    plan: { __typename: 'ShopPlan', displayName: 'Basic', partnerDevelopment: true, shopifyPlus: false, publicDisplayName: 'Development' },
    primaryDomain: { __typename: 'Domain', id: 'gid://shopify/Domain/1', host: ctx.shop.domain, url: `https://${ctx.shop.domain}`, sslEnabled: true },
  };
}

function appInstallation(_args: Args, ctx: ExecContext): Rec {
  return {
    __typename: 'AppInstallation', id: 'gid://shopify/AppInstallation/1',
    accessScopes: [...ctx.scopes].sort().map((handle) => ({ __typename: 'AccessScope', handle, description: `Access scope ${handle}` })),
  };
}

function bulkOperationRunQuery(args: Args, ctx: ExecContext, info: GraphQLResolveInfo): Rec {
  const query = String(args.query);
  const validation = validateBulkQuery(query, ctx.version);
  if (validation.errors.length) {
    return { bulkOperation: null, userErrors: validation.errors.map((message) => ({ field: ['query'], message, code: 'INVALID' })) };
  }
  // Reference §1.1: the default of groupObjects depends on the version, not on the schema we validate with.
  const given = info.fieldNodes[0]?.arguments?.some((arg) => arg.name.value === 'groupObjects') ?? false;
  const groupObjects = given ? args.groupObjects === true : groupObjectsDefault(ctx.version);
  const result = ctx.operations.runQuery(query, ctx.version, ctx.token, ctx.scopes, groupObjects, () => ctx.takeJobFate(query));
  return { bulkOperation: result.bulkOperation, userErrors: result.userErrors };
}

function bulkOperationCancel(args: Args, ctx: ExecContext): Rec {
  const result = ctx.operations.cancel(String(args.id));
  return { bulkOperation: result.bulkOperation, userErrors: result.userErrors.map(({ field, message }) => ({ field, message })) };
}

export function createRootValue(): Record<string, Root> {
  const root: Record<string, Root> = {
    shop,
    currentAppInstallation: appInstallation,
    node: (args, ctx) => node(String(args.id), ctx),
    nodes: (args, ctx) => (Array.isArray(args.ids) ? args.ids.map((id) => node(String(id), ctx)) : []),
    bulkOperation: (args, ctx) => bulkOperationById(args, ctx),
    bulkOperations: (args, ctx, info) => bulkOperationsConnection(args, ctx, [info.path.key]),
    currentBulkOperation: (args, ctx) => currentBulkOperation(args, ctx),
    bulkOperationRunQuery,
    bulkOperationCancel,
  };
  for (const [field, type] of Object.entries(ROOT_RESOURCES)) root[field] = resourceConnection(type);
  for (const [field, type] of Object.entries(SINGULAR)) root[field] = lookup(type);
  return root;
}
