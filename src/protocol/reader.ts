/**
 * Reads Airbyte messages from a JSON-lines byte stream (the destination's stdin). Each malformed line is
 * reported with its line number; nothing after a bad line is yielded, so a consumer never acts past it.
 */
import { LineFormatError, lineBatches } from './lines.js';
import { MESSAGE_TYPES, type AirbyteMessage } from './messages.js';
import { splitRecordLine } from './record-line.js';

export interface ReadMessage {
  line: number;
  message: AirbyteMessage;
  /** For a RECORD: the exact JSON text of `record.data` when the line's layout proves it (record-line.ts). */
  rawData?: string;
}

function parseMessage(text: string, line: number): AirbyteMessage {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    throw new LineFormatError(line, `invalid JSON (${detail.slice(0, 200)})`);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new LineFormatError(line, 'not an Airbyte message (expected a JSON object)');
  }
  const type = (value as { type?: unknown }).type;
  if (typeof type !== 'string' || !MESSAGE_TYPES.has(type)) {
    throw new LineFormatError(line, `unknown message type ${JSON.stringify(type ?? null).slice(0, 60)}`);
  }
  return value as AirbyteMessage;
}

export async function* readMessages(input: AsyncIterable<Buffer | string>): AsyncGenerator<ReadMessage> {
  for await (const batch of lineBatches(input)) {
    let line = batch.firstLine;
    for (const text of batch.lines) {
      const split = splitRecordLine(text);
      if (split) yield { line, message: { type: 'RECORD', record: split.record }, rawData: split.rawData };
      else if (text.trim() !== '') yield { line, message: parseMessage(text, line) };
      line++;
    }
  }
}
