/**
 * Reads Airbyte messages from a JSON-lines byte stream (the destination's stdin). Each malformed line is
 * reported with its line number; nothing after a bad line is yielded, so a consumer never acts past it.
 */
import { LineFormatError, byteLineBatches, decodeLine } from './lines.js';
import { MESSAGE_TYPES, type AirbyteMessage } from './messages.js';
import { splitRecordLine, type RawRecordMessage } from './record-line.js';

export interface ReadMessage {
  line: number;
  message: AirbyteMessage;
  /**
   * For a RECORD in the usual layout, the record itself with its data kept as the line's bytes and
   * proven to be one JSON object (record-line.ts); `message.record` is the same object.
   */
  raw?: RawRecordMessage;
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
  for await (const batch of byteLineBatches(input)) {
    let line = batch.firstLine;
    for (const bytes of batch.lines) {
      const raw = splitRecordLine(bytes);
      if (raw) yield { line, message: { type: 'RECORD', record: raw }, raw };
      else if (bytes.length > 0) {
        const text = decodeLine(bytes, line);
        if (text.trim() !== '') yield { line, message: parseMessage(text, line) };
      }
      line++;
    }
  }
}
