/**
 * Executes a bulk job: for each root connection, selects the matching store records (search filter,
 * sort key), executes the query with the graphql engine in batches of root nodes, splits each result
 * into JSONL lines and streams them to disk with backpressure, publishing coarse counters as it goes.
 */
import { createWriteStream, existsSync, linkSync } from 'node:fs';
import { once } from 'node:events';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import { Kind, parse } from 'graphql';
import type { FragmentDefinitionNode, GraphQLObjectType } from 'graphql';
import { RESOURCE_SCOPE, hasScope } from '../auth.js';
import type { SimClock } from '../clock.js';
import { loadAdminSchema } from '../schema.js';
import { parseSearch } from '../search.js';
import { selectIndexes } from '../store/query.js';
import type { Store } from '../store/store.js';
import type { Rec } from '../store/types.js';
import { bulkRequiresEdges } from '../versions.js';
import type { ShopInfo } from '../graphql/context.js';
import { ROOT_RESOURCES } from '../graphql/roots.js';
import { analyseBulkQuery } from './plan.js';
import { PlanCompiler } from './compile.js';
import { LineEmitter } from './emit.js';
import type { BulkJob, BulkOperations } from './operations.js';
import type { ResultFiles } from './files.js';
import type { JobTimings } from './types.js';

/** A finished result that an identical job (same query, version, grouping, scopes, store content) can reuse. */
export interface CachedResult {
  fileKey: string;
  objects: number;
  roots: number;
  bytes: number;
}

export interface RunnerDeps {
  /** Results of earlier identical jobs: the store is deterministic, so their files can be reused as is. */
  cache: Map<string, CachedResult>;
  store: () => Store;
  clock: SimClock;
  files: ResultFiles;
  timings: () => JobTimings;
  shop: ShopInfo;
  operations: () => BulkOperations;
}

/** Root nodes per written chunk. */
const BATCH = 200;

/**
 * Shows the counters rounded down to the step. They stay coarse for as long as the job is RUNNING,
 * even once everything is written: only COMPLETED (or FAILED) reports the exact counts.
 */
function publish(job: BulkJob, step: number): void {
  const coarse = job.objects - (job.objects % step);
  if (coarse > job.visibleObjects) {
    job.visibleObjects = coarse;
    job.visibleRoots = job.roots;
  }
}

/** Checks the job's fate after each chunk; true when the writer must stop. */
function applyFate(job: BulkJob, deps: RunnerDeps): boolean {
  const { fate } = job;
  if (job.stopRequested) return true;
  if (job.objects < (fate.afterObjects ?? 0)) return false;
  if (fate.failWith) {
    job.failure = { code: fate.failWith, partial: fate.failWith !== 'ACCESS_DENIED' && !fate.noPartialData, at: deps.clock.now() };
    return true;
  }
  if (fate.canceledByOther) {
    deps.operations().markCanceled(job);
    return true;
  }
  return false;
}

function cacheKey(job: BulkJob, store: Store): string {
  return JSON.stringify([job.query, job.version, job.groupObjects, [...job.scopes].sort(), store.instanceId, store.epoch]);
}

/** Reuses an identical earlier result (hard link, no copy); true when it did. */
function reuse(job: BulkJob, deps: RunnerDeps, key: string): boolean {
  const hit = deps.cache.get(key);
  if (!hit || job.fate.failWith || job.fate.canceledByOther || !existsSync(deps.files.pathFor(hit.fileKey))) return false;
  linkSync(deps.files.pathFor(hit.fileKey), deps.files.pathFor(job.fileKey));
  job.objects = hit.objects;
  job.roots = hit.roots;
  job.bytes = hit.bytes;
  job.written = true;
  job.writtenAt = deps.clock.now();
  publish(job, deps.timings().counterStep);
  job.writerStopped = true;
  return true;
}

export async function runJob(job: BulkJob, deps: RunnerDeps): Promise<void> {
  const store = deps.store();
  const key = cacheKey(job, store);
  await yieldLoop();
  if (reuse(job, deps, key)) return;
  const schema = loadAdminSchema(job.version);
  const document = parse(job.query);
  const analysis = analyseBulkQuery(schema, document, bulkRequiresEdges(job.version));
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const compiler = new PlanCompiler(schema, fragments);
  const queryType = schema.getQueryType() as GraphQLObjectType;
  const operation = document.definitions.find((def) => def.kind === Kind.OPERATION_DEFINITION);
  const rootPlans = operation && operation.kind === Kind.OPERATION_DEFINITION ? compiler.plan(queryType, operation.selectionSet.selections) : [];
  const emitter = new LineEmitter(compiler, schema, { bulk: true });
  const out = createWriteStream(deps.files.pathFor(job.fileKey), { highWaterMark: 1 << 20 });
  // A write error (e.g. the result directory removed by close()) stops the job instead of crashing the process.
  out.on('error', () => {
    job.stopRequested = true;
    job.failure ??= { code: 'INTERNAL_SERVER_ERROR', partial: false, at: deps.clock.now() };
  });
  try {
    if (job.fate.failWith === 'ACCESS_DENIED' && (job.fate.afterObjects ?? 0) === 0) {
      job.failure = { code: 'ACCESS_DENIED', partial: false, at: deps.clock.now() };
      return;
    }
    await yieldLoop();
    roots: for (const root of analysis.roots) {
      const resource = ROOT_RESOURCES[root.name];
      const plan = rootPlans.find((p) => p.kind === 'connection' && p.key === root.path[0]);
      if (!resource || !plan) continue;
      if (!hasScope(job.scopes, RESOURCE_SCOPE[resource])) {
        // Reference §1.4: missing access scopes fail the job with ACCESS_DENIED.
        job.failure = { code: 'ACCESS_DENIED', partial: false, at: deps.clock.now() };
        break;
      }
      const query = typeof plan.args.query === 'string' ? plan.args.query : '';
      const { indexes } = selectIndexes(store, resource, parseSearch(query), plan.args.sortKey as string | undefined, plan.args.reverse === true);
      // A job told to end after N objects writes small batches, so its partial file stops near N.
      const batch = job.fate.afterObjects === undefined ? BATCH : Math.max(1, Math.min(BATCH, job.fate.afterObjects));
      for (let i = 0; i < indexes.length; i += batch) {
        const records = indexes.slice(i, i + batch).map((index) => store.record(resource, index)).filter((r): r is Rec => r !== null);
        const lines: string[] = [];
        const before = emitter.objects;
        if (job.groupObjects) emitter.grouped(records, plan, lines);
        else emitter.interleaved(records, plan, lines);
        const chunk = Buffer.from(lines.join(''));
        job.bytes += chunk.length;
        job.objects += emitter.objects - before;
        job.roots += records.length;
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
    }
    job.writerStopped = true;
    if (job.written && cacheKey(job, store) === key) deps.cache.set(key, { fileKey: job.fileKey, objects: job.objects, roots: job.roots, bytes: job.bytes });
  }
}
