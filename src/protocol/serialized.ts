/**
 * RECORD messages already serialised elsewhere (a parse worker): JSON lines as UTF-8 bytes, with
 * their count. They travel the output path next to plain messages and are written as they are.
 */
import type { AirbyteMessage } from './messages.js';

export class SerializedRecords {
  constructor(
    /** One RECORD message per line, each line ending with a newline. */
    readonly bytes: Uint8Array,
    readonly count: number,
    /**
     * Called by a writer once the bytes are written and nothing refers to them any more, so their
     * memory can be reused (the bytes are moved away: never call it while they may still be read).
     */
    readonly release?: () => void,
  ) {}
}

/** What a source emits: messages, and records serialised in bulk. */
export type OutputMessage = AirbyteMessage | SerializedRecords;

/** The messages of a serialised block, for in-process consumers (tests) that inspect messages. */
export function expandMessages(item: OutputMessage): AirbyteMessage[] {
  if (!(item instanceof SerializedRecords)) return [item];
  const text = Buffer.from(item.bytes.buffer, item.bytes.byteOffset, item.bytes.byteLength).toString('utf8');
  return text.split('\n').flatMap((line) => (line === '' ? [] : [JSON.parse(line) as AirbyteMessage]));
}
