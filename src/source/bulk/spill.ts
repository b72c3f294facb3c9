/**
 * Reassembly of ungrouped bulk results, where a child is only guaranteed to come somewhere after its
 * parent. Lines are partitioned by their root's id into buckets (kept in memory while small, spilled
 * to temp files past `memoryLimitBytes`), then each bucket is assembled on its own, so memory holds
 * one bucket rather than the whole result.
 *
 * To find a line's root, a grandchild's parent must map to its root: for queries with two nested
 * levels the ids of first-level children are remembered (one short string each). A line whose parent
 * is in no tree is an error, never attached elsewhere.
 */
import { once } from 'node:events';
import { createReadStream, createWriteStream, type WriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lineBatches } from '../../protocol/lines.js';
import type { BulkNode } from '../streams/define.js';
import { ReassemblyError, attachChild, parseLine, takeParentId } from './assemble.js';

export interface SpillOptions {
  /** Nested connection levels under the root (1: children only, 2: grandchildren too). */
  nestedDepth: number;
  bucketCount?: number;
  memoryLimitBytes?: number;
  tempDir?: string;
}

function hash(text: string): number {
  let h = 2166136261;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return h >>> 0;
}

export class SpillAssembler {
  private readonly bucketCount: number;
  private readonly memoryLimit: number;
  private readonly memory: string[][];
  private memoryBytes = 0;
  private files: { dir: string; streams: WriteStream[] } | undefined;
  private readonly intermediate = new Map<string, string>();

  constructor(
    private readonly label: string,
    private readonly options: SpillOptions,
  ) {
    this.bucketCount = options.bucketCount ?? 64;
    this.memoryLimit = options.memoryLimitBytes ?? 64 * 1024 * 1024;
    this.memory = Array.from({ length: this.bucketCount }, () => []);
  }

  /** Whether lines went to disk (for tests and logs). */
  get spilled(): boolean {
    return this.files !== undefined;
  }

  private rootOf(line: string, lineNumber: number): string {
    const node = parseLine(line, lineNumber, this.label);
    const parent = node.__parentId;
    if (parent === undefined) {
      if (typeof node.id !== 'string') throw new ReassemblyError(`${this.label}: line ${lineNumber} is a root without an id`);
      return node.id;
    }
    if (typeof parent !== 'string') throw new ReassemblyError(`${this.label}: line ${lineNumber} has a non-string __parentId`);
    const root = this.intermediate.get(parent) ?? parent;
    if (this.options.nestedDepth >= 2 && root === parent && typeof node.id === 'string') this.intermediate.set(node.id, root);
    return root;
  }

  async add(line: string, lineNumber: number): Promise<void> {
    const bucket = hash(this.rootOf(line, lineNumber)) % this.bucketCount;
    if (this.files) {
      const stream = this.files.streams[bucket]!;
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
      return;
    }
    this.memory[bucket]!.push(line);
    this.memoryBytes += line.length * 2;
    if (this.memoryBytes > this.memoryLimit) await this.spill();
  }

  private async spill(): Promise<void> {
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'bulk-spill-'));
    const streams = this.memory.map((_, i) => createWriteStream(join(dir, `bucket-${i}.jsonl`)));
    this.files = { dir, streams };
    for (const [i, lines] of this.memory.entries()) {
      const stream = streams[i]!;
      for (const line of lines) if (!stream.write(`${line}\n`)) await once(stream, 'drain');
      lines.length = 0;
    }
    this.memoryBytes = 0;
  }

  private async *bucketLines(i: number): AsyncGenerator<string[]> {
    if (!this.files) {
      const lines = this.memory[i]!;
      this.memory[i] = [];
      yield lines;
      return;
    }
    for await (const batch of lineBatches(createReadStream(join(this.files.dir, `bucket-${i}.jsonl`)))) yield batch.lines;
  }

  /** Assembled roots, bucket by bucket. Call `dispose` afterwards (also on error). */
  async *roots(): AsyncGenerator<BulkNode> {
    if (this.files) await Promise.all(this.files.streams.map((s) => new Promise((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve(undefined))))));
    this.intermediate.clear();
    for (let i = 0; i < this.bucketCount; i++) {
      const roots: BulkNode[] = [];
      const index = new Map<string, BulkNode>();
      let n = 0;
      for await (const lines of this.bucketLines(i)) {
        for (const line of lines) {
          if (line === '') continue;
          const node = parseLine(line, ++n, this.label);
          const parentId = takeParentId(node);
          if (parentId === undefined) roots.push(node);
          else {
            const parent = index.get(parentId);
            if (!parent) throw new ReassemblyError(`${this.label}: a child of ${parentId} comes before its parent or has no parent in the bulk result`);
            attachChild(parent, node);
          }
          if (typeof node.id === 'string') index.set(node.id, node);
        }
      }
      yield* roots;
    }
  }

  async dispose(): Promise<void> {
    if (!this.files) return;
    for (const s of this.files.streams) s.destroy();
    await rm(this.files.dir, { recursive: true, force: true });
    this.files = undefined;
  }
}
