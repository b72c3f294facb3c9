/**
 * A small pool of worker threads for the CPU-bound part of reading a result (parse-worker.ts).
 * Blocks go to the workers round-robin; each `parse` settles with that block's result, and the
 * caller awaits them in the order it posted them, so records keep file order.
 *
 * Workers are started on the first task, kept for the rest of the process, unreferenced while idle
 * (an idle pool never keeps the process alive) and referenced while a task is pending (a pending
 * task is work the event loop must wait for). A worker that dies fails its pending tasks with a
 * clear error and is replaced on the next task.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LineFormatError } from '../../protocol/lines.js';
import { ConnectorError } from '../../runtime/errors.js';
import { PACKAGE_ROOT } from '../../runtime/files.js';
import { ReassemblyError } from './assemble.js';
import { BufferShelf } from './buffer-shelf.js';
import type { BlockLayout, BlockTask } from './parse-block.js';
import type { WorkerRecycle, WorkerReply, WorkerRequest } from './parse-worker.js';

export class ParseWorkerError extends ConnectorError {
  constructor(message: string) {
    super(message, { failureType: 'system_error' });
    this.name = 'ParseWorkerError';
  }
}

/**
 * A block did not fit a worker's heap (see WORKER_OLD_GENERATION_MB): the window is read again with
 * parsing on the main thread, whose heap has no such cap.
 */
export class WorkerHeapError extends ParseWorkerError {
  constructor(message: string) {
    super(message);
    this.name = 'WorkerHeapError';
  }
}

export interface BlockResult {
  bytes: Uint8Array;
  records: number;
  lines: number;
  roots: number;
}

/** Environment override of the worker count (0: parse on the main thread only). */
export const WORKERS_ENV = 'SOURCE_SHOPIFY_PARSE_WORKERS';

/**
 * Workers to use: up to two. The main thread stays busy with the download and framing, so two workers
 * already fill a 2-core machine; more have not been measured. On a machine whose cores are taken by
 * other processes, one worker measured as fast as two for less CPU: SOURCE_SHOPIFY_PARSE_WORKERS=1.
 */
export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[WORKERS_ENV];
  if (raw !== undefined && raw !== '') {
    const n = Number(raw);
    if (Number.isInteger(n) && n >= 0 && n <= 16) return n;
  }
  return Math.min(2, availableParallelism());
}

/**
 * The compiled worker next to this module. Under a TypeScript test runner this module is the .ts
 * source, which a worker thread cannot load: the compiled copy in dist/ is used instead.
 */
export function workerScript(): URL {
  const here = new URL('./parse-worker.js', import.meta.url);
  if (import.meta.url.endsWith('.js')) return here;
  const built = `${PACKAGE_ROOT}dist/source/bulk/parse-worker.js`;
  if (!existsSync(built)) throw new ParseWorkerError(`the compiled parse worker ${built} is missing; run the build`);
  return pathToFileURL(built);
}

/**
 * A worker's young generation. What a block leaves alive is its text and its output (large objects,
 * outside the young generation); a root's parsed objects die within the root. V8's default (~32 MB
 * of semi-spaces per isolate) only costs memory here: at 100 MB of orders, two workers peaked at
 * ~330 MB RSS with it, ~195 MB with 4 MB, for the same CPU time.
 */
const WORKER_YOUNG_GENERATION_MB = 4;
/**
 * A worker's old generation cap. Without one, V8 lets a long read's old generation grow with the run
 * (its limit is raised after each full collection, in steps sized from the cap): at 2 GB of grouped
 * orders the source peaked at ~207 MB RSS uncapped, ~160 MB capped at 48 MB and ~147 MB at 20 MB,
 * against ~130 MB at 100 MB, for the same CPU time. A block's trees take several times its text; a
 * worker with this cap parsed a 2 MB block held whole as one tree plus a full copy of it (3 MB did not
 * fit), so blocks over `MAX_WORKER_BLOCK_BYTES` (only a root with thousands of children makes one) are
 * parsed on the main thread instead, and a worker that still runs out fails with `WorkerHeapError`.
 */
export const WORKER_OLD_GENERATION_MB = 20;
/** The largest block sent to a worker. */
export const MAX_WORKER_BLOCK_BYTES = 2 * 1024 * 1024;

interface Pending {
  resolve: (r: BlockResult) => void;
  reject: (e: Error) => void;
}

class PoolWorker {
  readonly pending = new Map<number, Pending>();
  private readonly worker: Worker;
  dead = false;

  constructor(
    script: URL | string,
    eval_: boolean,
    /** Where the blocks this worker sends back are kept. */
    private readonly inputs: BufferShelf,
    oldGenerationMb: number,
    /** Which worker made each output buffer, so it goes back to that worker (see `ParsePool.recycle`). */
    private readonly outputsFrom: WeakMap<ArrayBuffer, PoolWorker>,
  ) {
    this.worker = new Worker(script, {
      ...(eval_ ? { eval: true } : {}),
      resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB, maxOldGenerationSizeMb: oldGenerationMb },
    });
    this.worker.unref();
    this.worker.on('message', (reply: WorkerReply) => this.settle(reply));
    this.worker.on('error', (err: NodeJS.ErrnoException) => this.die(`failed: ${err.message}`, err.code === 'ERR_WORKER_OUT_OF_MEMORY'));
    this.worker.on('exit', (code) => this.die(`exited with code ${code}`));
  }

  post(req: WorkerRequest, transfer: ArrayBuffer[], p: Pending): void {
    if (this.pending.size === 0) this.worker.ref();
    this.pending.set(req.id, p);
    this.worker.postMessage(req, transfer);
  }

  /** Gives the worker an output buffer back (a worker that is stopping drops it). */
  recycle(buffer: ArrayBuffer): void {
    if (this.dead) return;
    const msg: WorkerRecycle = { type: 'recycle', buffer };
    this.worker.postMessage(msg, [buffer]);
  }

  private settle(reply: WorkerReply): void {
    if (reply.input) this.inputs.put(reply.input);
    const p = this.pending.get(reply.id);
    if (!p) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) {
      this.outputsFrom.set(reply.bytes.buffer as ArrayBuffer, this);
      p.resolve({ bytes: reply.bytes, records: reply.records, lines: reply.lines, roots: reply.roots });
    } else p.reject(rebuildError(reply.error));
  }

  private die(why: string, outOfMemory = false): void {
    if (this.dead) return;
    this.dead = true;
    const message = `a parse worker thread ${why}; the result being read is incomplete and is not counted as read`;
    const err = outOfMemory ? new WorkerHeapError(message) : new ParseWorkerError(message);
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  terminate(): Promise<number> {
    this.die('was stopped before it answered');
    return this.worker.terminate();
  }
}

/** The worker's error as the class the single-threaded path throws, so callers handle both alike. */
function rebuildError(e: Extract<WorkerReply, { ok: false }>['error']): Error {
  if (e.name === 'LineFormatError' && e.lineNumber !== undefined) return new LineFormatError(e.lineNumber, e.reason ?? e.message);
  if (e.name === 'ReassemblyError') return new ReassemblyError(e.message);
  return new ParseWorkerError(e.message);
}

export class ParsePool {
  private readonly workers: Array<PoolWorker | undefined>;
  private next = 0;
  private ids = 0;
  /** Block buffers sent back by the workers: those in flight, and one being filled. */
  private readonly inputs: BufferShelf;
  private readonly outputsFrom = new WeakMap<ArrayBuffer, PoolWorker>();

  constructor(
    readonly size: number,
    private readonly script: () => URL | string = workerScript,
    private readonly evalScript = false,
    private readonly oldGenerationMb = WORKER_OLD_GENERATION_MB,
  ) {
    this.workers = new Array<PoolWorker | undefined>(size).fill(undefined);
    this.inputs = new BufferShelf(size * 2 + 1);
  }

  /**
   * A buffer to fill with a block of `size` bytes (a reused one when one is large enough, else one of
   * `max(size, capacity)` bytes); pass a block in it (or a prefix of it) to `parse`.
   */
  blockBuffer(size: number, capacity = size): Buffer {
    return this.inputs.take(size, capacity);
  }

  /**
   * Hands records written out (`SerializedRecords.bytes` from `parse`) back for reuse, to the worker
   * that made them. Only once nothing refers to them any more: the bytes are moved away. A buffer
   * freed by another thread than the one that allocated it grew glibc's per-thread arenas: handed to
   * whichever worker came next, 2 GB of ungrouped orders peaked ~20 MB higher.
   */
  recycle(bytes: Uint8Array): void {
    // A block parsed on this thread (too large for a worker) has no maker among the workers: its
    // buffer is left to this thread's garbage collector rather than freed on another thread.
    const worker = this.outputsFrom.get(bytes.buffer as ArrayBuffer);
    if (worker && bytes.byteOffset === 0) worker.recycle(bytes.buffer as ArrayBuffer);
  }

  /**
   * Starts any worker not running yet, so their start (~0.1 s: a thread, an isolate, the stream
   * modules) overlaps with the download instead of delaying the first block.
   */
  warm(): void {
    for (let slot = 0; slot < this.size; slot++) this.workerAt(slot);
  }

  private workerAt(slot: number): PoolWorker {
    let worker = this.workers[slot];
    if (!worker || worker.dead) worker = this.workers[slot] = new PoolWorker(this.script(), this.evalScript, this.inputs, this.oldGenerationMb, this.outputsFrom);
    return worker;
  }

  /**
   * Posts a block (its bytes are transferred: the caller must not use them again; they must be the
   * whole of their ArrayBuffer or a part of one the caller no longer needs).
   */
  parse(bytes: Buffer, layout: BlockLayout, task: BlockTask): Promise<BlockResult> {
    const slot = this.next;
    this.next = (this.next + 1) % this.size;
    const worker = this.workerAt(slot);
    const req: WorkerRequest = { ...task, type: 'parse', layout, id: ++this.ids, buffer: bytes.buffer as ArrayBuffer, byteOffset: bytes.byteOffset, byteLength: bytes.byteLength };
    return new Promise<BlockResult>((resolve, reject) => worker.post(req, [req.buffer], { resolve, reject }));
  }

  async close(): Promise<void> {
    const all = this.workers.splice(0).filter((w): w is PoolWorker => w !== undefined);
    await Promise.all(all.map((w) => w.terminate()));
  }
}

let shared: ParsePool | undefined;

/** The process's pool (started lazily); undefined when workers are turned off. `oldGenerationMb`: tests only. */
export function sharedParsePool(workers: number, oldGenerationMb?: number): ParsePool | undefined {
  if (workers <= 0) return undefined;
  shared ??= new ParsePool(workers, workerScript, false, oldGenerationMb);
  return shared;
}

/** Stops the process's workers (end of a read), so the process exits at once. */
export async function closeSharedParsePool(): Promise<void> {
  const pool = shared;
  shared = undefined;
  await pool?.close();
}
