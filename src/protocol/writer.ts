/**
 * The one place that serialises Airbyte messages to JSON lines. Small messages are coalesced into
 * ~64 KiB writes (one syscall per batch instead of per record); when the sink signals backpressure,
 * `write` returns a promise that settles on 'drain', and producers await it, so a slow consumer of
 * the pipe stalls the producer instead of growing memory.
 */
import type { Writable } from 'node:stream';
import type { AirbyteMessage } from './messages.js';

export type MessageTransform = (message: AirbyteMessage) => AirbyteMessage;

export interface MessageWriter {
  /** Queues one message. Returns a promise only when the caller must wait (backpressure). */
  write(message: AirbyteMessage): Promise<void> | undefined;
  /**
   * Writes lines serialised elsewhere (RECORD messages from a parse worker) as they are, after what is
   * queued: counted in `bytesWritten`, and with the same backpressure as `write`. `written` is called
   * once the sink is done with the bytes (not after a failed write).
   */
  writeSerialized(bytes: Uint8Array, written?: () => void): Promise<void> | undefined;
  /** Pushes everything queued to the sink and waits until the sink accepted it. */
  flush(): Promise<void>;
  /** Bytes handed to the sink so far. */
  readonly bytesWritten: number;
}

export interface MessageWriterOptions {
  /** Applied to every message before serialisation (e.g. secret redaction of LOG/TRACE). */
  transform?: MessageTransform;
  /** Coalescing threshold in bytes (UTF-16 units, close enough). */
  batchBytes?: number;
}

export function serializeMessage(message: AirbyteMessage): string {
  return JSON.stringify(message) + '\n';
}

export function createMessageWriter(sink: Writable, options: MessageWriterOptions = {}): MessageWriter {
  const batchBytes = options.batchBytes ?? 64 * 1024;
  const transform = options.transform;
  let buffer = '';
  let bytesWritten = 0;
  let drain: Promise<void> | undefined;
  let scheduled = false;

  const waitForDrain = (): Promise<void> => {
    drain ??= new Promise<void>((resolve, reject) => {
      const done = (err?: Error): void => {
        sink.off('drain', onDrain);
        sink.off('error', onError);
        sink.off('close', onDrain);
        drain = undefined;
        if (err) reject(err);
        else resolve();
      };
      const onDrain = (): void => done();
      const onError = (err: Error): void => done(err);
      sink.on('drain', onDrain);
      sink.on('error', onError);
      sink.on('close', onDrain);
    });
    return drain;
  };

  const push = (): boolean => {
    if (buffer.length === 0) return !sink.writableNeedDrain;
    const chunk = buffer;
    buffer = '';
    bytesWritten += Buffer.byteLength(chunk);
    return sink.write(chunk);
  };

  // Messages that trickle in (logs, states) must not sit in the buffer: flush them on the next turn.
  const schedule = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      push();
    });
  };

  return {
    write(message) {
      buffer += serializeMessage(transform ? transform(message) : message);
      if (buffer.length < batchBytes) {
        schedule();
        return sink.writableNeedDrain ? waitForDrain() : undefined;
      }
      return push() ? undefined : waitForDrain();
    },
    writeSerialized(bytes, written) {
      if (bytes.byteLength === 0) return sink.writableNeedDrain ? waitForDrain() : undefined;
      // Blocks are large (MBs): no coalescing, only what is queued goes first to keep the order.
      push();
      bytesWritten += bytes.byteLength;
      const ok = written ? sink.write(bytes, (err) => (err ? undefined : written())) : sink.write(bytes);
      return ok ? undefined : waitForDrain();
    },
    async flush() {
      if (!push()) await waitForDrain();
    },
    get bytesWritten() {
      return bytesWritten;
    },
  };
}
