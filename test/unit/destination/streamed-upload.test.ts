/**
 * The backpressure of a part's streamed upload, against a stand-in for the client library's upload
 * stream (a connection that takes bytes only when told to); the real upload is covered against the
 * GCS emulator in integration/destination/faults.test.ts.
 */
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { STREAM_BEHIND_LIMIT_BYTES, StreamedUpload, type GcsOps } from '../../../src/destination/gcs/objects.js';

/** A writable whose writes complete only when `release` is called (a stalled connection). */
function stalledConnection() {
  const held: Array<() => void> = [];
  let received = 0;
  const stream = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      received += chunk.length;
      held.push(done);
    },
    final(done) {
      done();
    },
  });
  const ops = { bucket: { file: () => ({ createWriteStream: () => stream }) } } as unknown as GcsOps;
  return {
    ops,
    received: () => received,
    release: () => {
      while (held.length > 0) held.shift()!();
    },
  };
}

describe('StreamedUpload', () => {
  it('asks the writer to wait once the connection is more than the limit behind, and lets it go when it catches up', async () => {
    const conn = stalledConnection();
    const upload = new StreamedUpload(conn.ops, 'part', { contentType: 'application/x-ndjson' });
    const piece = Buffer.alloc(64 * 1024, 1);
    let written = 0;
    while (upload.backlog() === undefined) {
      upload.write(piece);
      written += piece.length;
      expect(written, 'never asked to wait').toBeLessThan(STREAM_BEHIND_LIMIT_BYTES * 4);
    }
    // Nothing was taken beyond the first write; the rest waits in memory, about the limit.
    expect(written).toBeGreaterThan(STREAM_BEHIND_LIMIT_BYTES);
    expect(written).toBeLessThan(STREAM_BEHIND_LIMIT_BYTES + 2 * 1024 * 1024);
    let waited = false;
    const wait = upload.backlog()!.then(() => (waited = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(waited).toBe(false);
    // The connection takes everything: the writer may go on.
    const pump = setInterval(conn.release, 1);
    await wait;
    expect(upload.backlog()).toBeUndefined();
    await upload.finish();
    clearInterval(pump);
    expect(conn.received()).toBe(written);
  });

  it('never holds the writer back once the upload has failed (the spool file takes over)', () => {
    const conn = stalledConnection();
    const upload = new StreamedUpload(conn.ops, 'part', { contentType: 'application/x-ndjson' });
    for (let i = 0; i < 160; i++) upload.write(Buffer.alloc(64 * 1024));
    expect(upload.backlog()).toBeInstanceOf(Promise);
    upload.abort();
    expect(upload.backlog()).toBeUndefined();
    return expect(upload.finish()).rejects.toThrow(/dropped/);
  });
});
