/**
 * A prepared result file served as the output of every bulk query job instead of executing the query
 * (benchmarks: the same large result on every run without generating it again). The caller vouches
 * that the file matches the queries it sends; the job links it and completes with its counters, under
 * the same timings as any other job.
 */
import { statSync } from 'node:fs';
import { symlink } from 'node:fs/promises';
import { resolve } from 'node:path';
import { setImmediate as yieldLoop } from 'node:timers/promises';
import type { SimClock } from '../clock.js';
import type { ResultFiles } from './files.js';
import type { BulkJob } from './operations.js';

export interface PreparedResult {
  /** A JSONL file as the runner writes it. */
  path: string;
  /** Its line count (objectCount) and root line count (rootObjectCount). */
  objects: number;
  roots: number;
}

export async function servePrepared(job: BulkJob, prepared: PreparedResult, files: ResultFiles, clock: SimClock): Promise<void> {
  await yieldLoop();
  const path = resolve(prepared.path);
  try {
    await symlink(path, files.pathFor(job.fileKey));
    job.bytes = statSync(path).size;
    job.objects = prepared.objects;
    job.roots = prepared.roots;
    job.visibleObjects = job.objects;
    job.visibleRoots = job.roots;
    job.written = true;
    job.writtenAt = clock.now();
  } finally {
    job.writerStopped = true;
  }
}
