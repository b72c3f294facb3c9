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

const ID_PREFIX = '{"id":"';
const PARENT_KEY = '"__parentId":"';

/** The JSON string token starting after the opening quote at `from` (must end at `end`), decoded; undefined if it is not a plain token. */
function stringToken(line: string, from: number, end: number): string | undefined {
  const text = line.slice(from, end);
  if (text.includes('"')) return undefined;
  if (!text.includes('\\')) return text;
  try {
    return JSON.parse(`"${text}"`) as string;
  } catch {
    return undefined;
  }
}

/**
 * `id` and `__parentId` of a bulk line without parsing it, when the line has Shopify's layout: `id`
 * first and `__parentId` last. Any other layout returns undefined and the line is parsed. The text
 * `"__parentId":"` cannot occur inside a JSON string (its quotes would be escaped), so a match is the key.
 */
export function quickIds(line: string): { id: string; parent: string | undefined } | undefined {
  if (!line.startsWith(ID_PREFIX)) return undefined;
  const idEnd = line.indexOf('"', ID_PREFIX.length);
  if (idEnd < 0) return undefined;
  const id = stringToken(line, ID_PREFIX.length, idEnd);
  if (id === undefined) return undefined;
  const key = line.lastIndexOf(PARENT_KEY);
  if (key < 0) return line.includes('"__parentId"') ? undefined : { id, parent: undefined };
  if (!line.endsWith('"}') || key + PARENT_KEY.length > line.length - 2 || line.indexOf(PARENT_KEY) !== key) return undefined;
  const parent = stringToken(line, key + PARENT_KEY.length, line.length - 2);
  return parent === undefined ? undefined : { id, parent };
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
  /** The file line number of each line in `memory`, so errors found while assembling name the line. */
  private readonly numbers: number[][];
  private memoryBytes = 0;
  private files: { dir: string; streams: WriteStream[] } | undefined;
  private readonly intermediate = new Map<string, string>();

  constructor(
    private readonly label: string,
    private readonly options: SpillOptions,
  ) {
    this.bucketCount = options.bucketCount ?? 64;
    this.memoryLimit = options.memoryLimitBytes ?? 16 * 1024 * 1024;
    this.memory = Array.from({ length: this.bucketCount }, () => []);
    this.numbers = Array.from({ length: this.bucketCount }, () => []);
  }

  /** Whether lines went to disk (for tests and logs). */
  get spilled(): boolean {
    return this.files !== undefined;
  }

  /** A line's root id, read from the line's text where Shopify's layout allows (parsing it here as well would double the cost). */
  private rootOf(line: string, lineNumber: number): string {
    const fast = quickIds(line);
    let id: unknown;
    let parent: unknown;
    if (fast) ({ id, parent } = fast);
    else {
      const node = parseLine(line, lineNumber, this.label);
      id = node.id;
      parent = node.__parentId;
    }
    if (parent === undefined) {
      if (typeof id !== 'string') throw new ReassemblyError(`${this.label}: line ${lineNumber} is a root without an id`);
      return id;
    }
    if (typeof parent !== 'string') throw new ReassemblyError(`${this.label}: line ${lineNumber} has a non-string __parentId`);
    const root = this.intermediate.get(parent) ?? parent;
    if (this.options.nestedDepth >= 2 && root === parent && typeof id === 'string') this.intermediate.set(id, root);
    return root;
  }

  async add(line: string, lineNumber: number): Promise<void> {
    const bucket = hash(this.rootOf(line, lineNumber)) % this.bucketCount;
    if (this.files) {
      const stream = this.files.streams[bucket]!;
      if (!stream.write(`${lineNumber}\t${line}\n`)) await once(stream, 'drain');
      return;
    }
    this.memory[bucket]!.push(line);
    this.numbers[bucket]!.push(lineNumber);
    this.memoryBytes += line.length * 2;
    if (this.memoryBytes > this.memoryLimit) await this.spill();
  }

  private async spill(): Promise<void> {
    const dir = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'bulk-spill-'));
    const streams = this.memory.map((_, i) => createWriteStream(join(dir, `bucket-${i}.jsonl`)));
    this.files = { dir, streams };
    for (const [i, lines] of this.memory.entries()) {
      const stream = streams[i]!;
      const numbers = this.numbers[i]!;
      for (const [k, line] of lines.entries()) if (!stream.write(`${numbers[k]!}\t${line}\n`)) await once(stream, 'drain');
      lines.length = 0;
      numbers.length = 0;
    }
    this.memoryBytes = 0;
  }

  /** A bucket's lines with their file line numbers (spilled lines are stored as `number<TAB>line`). */
  private async *bucketLines(i: number): AsyncGenerator<{ lines: string[]; numbers: number[] | undefined }> {
    if (!this.files) {
      const lines = this.memory[i]!;
      const numbers = this.numbers[i]!;
      this.memory[i] = [];
      this.numbers[i] = [];
      yield { lines, numbers };
      return;
    }
    for await (const batch of lineBatches(createReadStream(join(this.files.dir, `bucket-${i}.jsonl`)))) yield { lines: batch.lines, numbers: undefined };
  }

  /** Assembled roots, bucket by bucket. Call `dispose` afterwards (also on error). */
  async *roots(): AsyncGenerator<BulkNode> {
    if (this.files) await Promise.all(this.files.streams.map((s) => new Promise((resolve, reject) => s.end((err?: Error | null) => (err ? reject(err) : resolve(undefined))))));
    this.intermediate.clear();
    for (let i = 0; i < this.bucketCount; i++) {
      const roots: BulkNode[] = [];
      const index = new Map<string, BulkNode>();
      for await (const { lines, numbers } of this.bucketLines(i)) {
        for (const [k, stored] of lines.entries()) {
          if (stored === '') continue;
          let line = stored;
          let lineNumber = numbers?.[k] ?? 0;
          if (!numbers) {
            const tab = stored.indexOf('\t');
            lineNumber = Number(stored.slice(0, tab));
            line = stored.slice(tab + 1);
          }
          const node = parseLine(line, lineNumber, this.label);
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
