/**
 * Worker thread entry: parses blocks of a result (parse-block.ts) for the stream named in each task, and answers with the serialised records as bytes (transferred, not copied), so the
 * main thread neither decodes, parses nor encodes them.
 */
import { parentPort } from 'node:worker_threads';
import type { BulkExtraction } from '../streams/define.js';
import { streamByName } from '../streams/index.js';
import { parseBlock, type BlockLayout, type BlockTask } from './parse-block.js';

export interface WorkerRequest extends BlockTask {
  id: number;
  layout: BlockLayout;
  buffer: ArrayBuffer;
  byteOffset: number;
  byteLength: number;
}

export type WorkerReply =
  | { id: number; ok: true; bytes: Uint8Array; records: number; lines: number; roots: number }
  | { id: number; ok: false; error: { name: string; message: string; lineNumber?: number; reason?: string } };

function extractionOf(stream: string): BulkExtraction {
  const def = streamByName(stream);
  if (!def || def.extraction.kind !== 'bulk') throw new Error(`no bulk stream named ${stream}`);
  return def.extraction;
}

/**
 * Frees a block's memory now. Parsing a block takes many young-generation collections, so the block's
 * ArrayBuffer object is promoted to the old generation and its memory would wait for a full
 * collection, which a worker whose old generation barely grows seldom runs: at 100 MB of orders,
 * ~70 MB of parsed blocks waited so (source RSS ~235 MB against ~165 MB when freed). Transferring the
 * memory to a fresh ArrayBuffer that dies young frees it at the next young collection.
 */
function release(buffer: ArrayBuffer): void {
  structuredClone(buffer, { transfer: [buffer] });
}

const port = parentPort;
if (port) {
  port.on('message', (req: WorkerRequest) => {
    let reply: WorkerReply;
    const transfer: ArrayBuffer[] = [];
    try {
      const out = parseBlock(Buffer.from(req.buffer, req.byteOffset, req.byteLength), req.layout, req, extractionOf(req.stream));
      transfer.push(out.bytes.buffer as ArrayBuffer);
      reply = { id: req.id, ok: true, bytes: out.bytes, records: out.records, lines: out.lines, roots: out.roots };
    } catch (err) {
      const e = err as Error & { lineNumber?: number; reason?: string };
      reply = {
        id: req.id,
        ok: false,
        error: { name: e.name, message: e.message, ...(e.lineNumber !== undefined ? { lineNumber: e.lineNumber } : {}), ...(e.reason !== undefined ? { reason: e.reason } : {}) },
      };
    }
    release(req.buffer);
    port.postMessage(reply, transfer);
  });
}
