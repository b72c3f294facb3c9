import { Writable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { createMessageWriter } from '../../../src/protocol/writer.js';
import { logMessage, recordMessage } from '../../../src/protocol/messages.js';

/** A pipe consumer that accepts one chunk every `delayMs`, tracking the most it ever held. */
function slowSink(delayMs: number) {
  let received = '';
  let maxBuffered = 0;
  const sink = new Writable({
    highWaterMark: 16 * 1024,
    write(chunk: Buffer, _enc, done) {
      received += chunk.toString();
      setTimeout(done, delayMs);
    },
  });
  const sample = setInterval(() => (maxBuffered = Math.max(maxBuffered, sink.writableLength)), 1);
  return { sink, received: () => received, maxBuffered: () => maxBuffered, stop: () => clearInterval(sample) };
}

describe('message writer', () => {
  it('serialises each message as one JSON line, in order', async () => {
    const s = slowSink(0);
    const writer = createMessageWriter(s.sink);
    for (let i = 0; i < 1000; i++) await writer.write(recordMessage('orders', { id: i }, 1));
    writer.write(logMessage('INFO', 'done'));
    await writer.flush();
    await new Promise<void>((r) => s.sink.end(r));
    s.stop();
    const lines = s.received().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(1001);
    expect(lines[999].record.data.id).toBe(999);
    expect(lines[1000]).toEqual({ type: 'LOG', log: { level: 'INFO', message: 'done' } });
  });

  it('makes a fast producer wait for a slow consumer instead of buffering without bound', async () => {
    const s = slowSink(2);
    const writer = createMessageWriter(s.sink, { batchBytes: 8 * 1024 });
    const payload = { id: 1, text: 'x'.repeat(1000) };
    let waits = 0;
    const total = 5_000; // ~5 MB produced as fast as the writer lets us
    for (let i = 0; i < total; i++) {
      const wait = writer.write(recordMessage('orders', payload, 1));
      if (wait) {
        waits++;
        await wait;
      }
    }
    await writer.flush();
    s.stop();
    expect(waits).toBeGreaterThan(100);
    // The sink never held more than its high-water mark plus one coalesced batch.
    expect(s.maxBuffered()).toBeLessThan(16 * 1024 + 8 * 1024 + 2 * 1100);
    await new Promise<void>((r) => s.sink.end(r));
    expect(s.received().split('\n').length - 1).toBe(total);
  });

  it('flushes a lone message promptly without an explicit flush', async () => {
    const s = slowSink(0);
    const writer = createMessageWriter(s.sink);
    writer.write(logMessage('INFO', 'heartbeat'));
    await sleep(20);
    s.stop();
    expect(s.received()).toContain('heartbeat');
  });

  it('applies the transform (used for redaction) to every message', async () => {
    const s = slowSink(0);
    const writer = createMessageWriter(s.sink, { transform: (m) => (m.type === 'LOG' ? logMessage('INFO', 'masked') : m) });
    writer.write(logMessage('INFO', 'secret'));
    await writer.flush();
    s.stop();
    expect(s.received()).not.toContain('secret');
  });

  it('writes pre-serialised record blocks as they are, after what is queued, counting bytes and honouring backpressure', async () => {
    const s = slowSink(1);
    const writer = createMessageWriter(s.sink);
    writer.write(logMessage('INFO', 'before'));
    const line = `${JSON.stringify(recordMessage('orders', { id: 'é' }, 1))}\n`;
    const block = Buffer.from(line.repeat(1000));
    let waits = 0;
    for (let i = 0; i < 20; i++) {
      const wait = writer.writeSerialized(block);
      if (wait) {
        waits++;
        await wait;
      }
    }
    writer.write(logMessage('INFO', 'after'));
    await writer.flush();
    await new Promise<void>((r) => s.sink.end(r));
    s.stop();
    expect(waits).toBeGreaterThan(10);
    const lines = s.received().trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(20_002);
    expect(lines[0].log.message).toBe('before');
    expect(lines[1]).toEqual({ type: 'RECORD', record: { stream: 'orders', data: { id: 'é' }, emitted_at: 1 } });
    expect(lines[20_001].log.message).toBe('after');
    expect(writer.bytesWritten).toBe(Buffer.byteLength(s.received()));
  });
});
