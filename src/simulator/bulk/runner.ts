/**
 * Executes a bulk job: for each root connection, selects the matching store records (search filter,
 * sort key), executes the query with the graphql engine in batches of root nodes, splits each result
 * into JSONL lines and streams them to disk with backpressure, publishing coarse counters as it goes.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { Kind, execute, parse, valueFromASTUntyped } from 'graphql';
import type { DocumentNode, FieldNode, OperationDefinitionNode } from 'graphql';
import { RESOURCE_SCOPE, hasScope } from '../auth.js';
import type { SimClock } from '../clock.js';
import { loadAdminSchema } from '../schema.js';
import { parseSearch } from '../search.js';
import { selectIndexes } from '../store/query.js';
import type { Store } from '../store/store.js';
import { bulkRequiresEdges } from '../versions.js';
import type { ExecContext, ShopInfo } from '../graphql/context.js';
import { ROOT_RESOURCES, createRootValue } from '../graphql/roots.js';
import { fieldResolver, typeResolver } from '../graphql/resolvers.js';
import { analyseBulkQuery } from './plan.js';
import type { ConnectionPlan } from './plan.js';
import { connectionNodes, groupedLines, interleavedLines } from './jsonl.js';
import type { BulkJob, BulkOperations } from './operations.js';
import type { ResultFiles } from './files.js';
import type { JobTimings } from './types.js';

export interface RunnerDeps {
  store: () => Store;
  clock: SimClock;
  files: ResultFiles;
  timings: () => JobTimings;
  shop: ShopInfo;
  operations: () => BulkOperations;
}

/** Root nodes executed per graphql call. */
const BATCH = 200;
const rootValue = createRootValue();

function singleRoot(document: DocumentNode, field: FieldNode): DocumentNode {
  const definitions = document.definitions.map((def) => {
    if (def.kind !== Kind.OPERATION_DEFINITION) return def;
    const op: OperationDefinitionNode = { ...def, selectionSet: { ...def.selectionSet, selections: [field] } };
    return op;
  });
  return { ...document, definitions };
}

function argumentsOf(field: FieldNode): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const arg of field.arguments ?? []) args[arg.name.value] = valueFromASTUntyped(arg.value);
  return args;
}

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) current = current !== null && typeof current === 'object' ? (current as Record<string, unknown>)[key] : undefined;
  return current;
}

function publish(job: BulkJob, step: number): void {
  if (job.objects - job.visibleObjects >= step) {
    job.visibleObjects = job.objects - (job.objects % step);
    job.visibleRoots = job.roots;
  }
}

/** Checks the job's fate after each batch; true when the writer must stop. */
function applyFate(job: BulkJob, deps: RunnerDeps): boolean {
  const { fate } = job;
  if (job.stopRequested) return true;
  if (job.objects < (fate.afterObjects ?? 0)) return false;
  if (fate.failWith) {
    job.failure = { code: fate.failWith, partial: fate.failWith !== 'ACCESS_DENIED', at: deps.clock.now() };
    return true;
  }
  if (fate.canceledByOther) {
    deps.operations().markCanceled(job);
    return true;
  }
  return false;
}

export async function runJob(job: BulkJob, deps: RunnerDeps): Promise<void> {
  const store = deps.store();
  const schema = loadAdminSchema(job.version);
  const document = parse(job.query);
  const analysis = analyseBulkQuery(schema, document, bulkRequiresEdges(job.version));
  const out = createWriteStream(deps.files.pathFor(job.fileKey), { highWaterMark: 1 << 20 });
  const context: ExecContext = {
    schema, version: job.version, store, operations: deps.operations(), scopes: job.scopes, token: job.token,
    shop: deps.shop, searchNotes: [], takeJobFate: () => ({}), bulk: { indexes: [] },
  };
  try {
    if (job.fate.failWith === 'ACCESS_DENIED' && (job.fate.afterObjects ?? 0) === 0) {
      job.failure = { code: 'ACCESS_DENIED', partial: false, at: deps.clock.now() };
      return;
    }
    await yieldLoop();
    roots: for (const root of analysis.roots) {
      const resource = ROOT_RESOURCES[root.name];
      if (!resource) continue;
      if (!hasScope(job.scopes, RESOURCE_SCOPE[resource])) {
        // Reference §1.4: missing access scopes fail the job with ACCESS_DENIED.
        job.failure = { code: 'ACCESS_DENIED', partial: false, at: deps.clock.now() };
        break;
      }
      const args = argumentsOf(root.field);
      const { indexes } = selectIndexes(store, resource, parseSearch(typeof args.query === 'string' ? args.query : ''), args.sortKey as string | undefined, args.reverse === true);
      const single = singleRoot(document, root.field);
      for (let i = 0; i < indexes.length; i += BATCH) {
        context.bulk = { indexes: indexes.slice(i, i + BATCH) };
        const result = execute({ schema, document: single, rootValue, contextValue: context, fieldResolver, typeResolver });
        if ('then' in result) throw new Error('bulk execution must be synchronous');
        if (result.errors?.length) throw result.errors[0];
        const nodes = connectionNodes(at(result.data, root.path), root as ConnectionPlan);
        const lines: string[] = [];
        const counts = { objects: 0 };
        if (job.groupObjects) groupedLines(nodes, root, lines, counts);
        else interleavedLines(nodes, root, lines, counts);
        const chunk = lines.join('');
        job.bytes += Buffer.byteLength(chunk);
        job.objects += counts.objects;
        job.roots += nodes.length;
        publish(job, deps.timings().counterStep);
        if (!out.write(chunk)) await once(out, 'drain');
        if (applyFate(job, deps)) break roots;
        await yieldLoop();
      }
    }
    if (!job.failure && job.cancelAt === undefined) applyFate(job, deps);
  } finally {
    out.end();
    await once(out, 'close');
    if (!job.failure && job.cancelAt === undefined) {
      job.written = true;
      job.writtenAt = deps.clock.now();
      job.visibleObjects = job.objects;
      job.visibleRoots = job.roots;
    }
    job.writerStopped = true;
  }
}
