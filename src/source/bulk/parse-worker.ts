/**
 * Worker thread entry: parses blocks of a result (parse-block.ts) for the stream named in each task,
 * and answers with the serialised records as bytes (transferred, not copied), so the main thread
 * neither decodes, parses nor encodes them. The block's buffer goes back with the answer, and the
 * main thread sends output buffers back once written (buffer-shelf.ts): the same few buffers serve
 * the whole read.
 */
import { parentPort } from 'node:worker_threads';
import { keepYoungGenerationSmall } from '../../runtime/young-heap.js';
import type { BulkExtraction } from '../streams/define.js';
import { streamByName } from '../streams/index.js';
import { BufferShelf } from './buffer-shelf.js';
import { parseBlock, type BlockLayout, type BlockTask } from './parse-block.js';

export interface WorkerRequest extends BlockTask {
  type: 'parse';
  id: number;
  layout: BlockLayout;
  buffer: ArrayBuffer;
  byteOffset: number;
  byteLength: number;
}

/** An output buffer the main thread has written, for reuse. */
export interface WorkerRecycle {
  type: 'recycle';
  buffer: ArrayBuffer;
}

export type WorkerReply =
  | { id: number; ok: true; bytes: Uint8Array; records: number; lines: number; roots: number; input: ArrayBuffer }
  | { id: number; ok: false; error: { name: string; message: string; lineNumber?: number; reason?: string }; input: ArrayBuffer };

// Starting this thread's isolate put the process-wide growth factor back to V8's minimum of 2: set
// it again, or the main thread's young generation doubles during a long read (young-heap.ts).
keepYoungGenerationSmall();

/** Output buffers kept: one being filled, one spare. */
export const OUTPUT_BUFFERS_KEPT = 2;

function extractionOf(stream: string): BulkExtraction {
  const def = streamByName(stream);
  if (!def || def.extraction.kind !== 'bulk') throw new Error(`no bulk stream named ${stream}`);
  return def.extraction;
}

const port = parentPort;
if (port) {
  const outputs = new BufferShelf(OUTPUT_BUFFERS_KEPT);
  port.on('message', (req: WorkerRequest | WorkerRecycle) => {
    if (req.type === 'recycle') {
      outputs.put(req.buffer);
      return;
    }
    let reply: WorkerReply;
    // The block goes back with the answer: besides its reuse, that frees it here at once (parsing it
    // took many young collections, so its ArrayBuffer object is in the old generation, whose
    // collections are rare in a worker: kept until then, parsed blocks held ~70 MB of RSS at 100 MB).
    const transfer: ArrayBuffer[] = [req.buffer];
    try {
      const out = parseBlock(Buffer.from(req.buffer, req.byteOffset, req.byteLength), req.layout, req, extractionOf(req.stream), Date.now, outputs);
      transfer.push(out.bytes.buffer as ArrayBuffer);
      reply = { id: req.id, ok: true, bytes: out.bytes, records: out.records, lines: out.lines, roots: out.roots, input: req.buffer };
    } catch (err) {
      const e = err as Error & { lineNumber?: number; reason?: string };
      reply = {
        id: req.id,
        ok: false,
        error: { name: e.name, message: e.message, ...(e.lineNumber !== undefined ? { lineNumber: e.lineNumber } : {}), ...(e.reason !== undefined ? { reason: e.reason } : {}) },
        input: req.buffer,
      };
    }
    port.postMessage(reply, transfer);
  });
}
