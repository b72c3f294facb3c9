import { Readable } from 'node:stream';
import { describe, expect, it, vi } from 'vitest';
import { splitRecordLine } from '../../../src/protocol/record-line.js';
import { readMessages } from '../../../src/protocol/reader.js';
import { jsonlLine, jsonlPieces } from '../../../src/destination/formats/jsonl.js';
import { toRow } from '../../../src/destination/records.js';

const canonical = (record: Record<string, unknown>) => JSON.stringify({ type: 'RECORD', record });
const split = (line: string) => splitRecordLine(Buffer.from(line));

/** Whenever the fast path accepts a line, it must agree exactly with parsing the whole line. */
function expectAgreesWithParse(line: string) {
  const raw = split(line);
  const parsed = JSON.parse(line) as { record: { data: unknown } };
  expect(raw).toBeDefined();
  expect(raw!.toJSON()).toStrictEqual(parsed.record);
  expect(JSON.parse(raw!.rawData.toString())).toStrictEqual(parsed.record.data);
  return { record: raw!, rawData: raw!.rawData.toString() };
}

describe('RECORD line fast path', () => {
  it('takes the data text of the layout connectors write, with and without a namespace', () => {
    const data = { id: 1, note: 'ドア 📦 "quoted" \\ back', nested: { a: [1, 2.5, null, true] }, '2': 'integer-like key' };
    const line = canonical({ stream: 'orders', data, emitted_at: 1795982898000 });
    const split = expectAgreesWithParse(line);
    expect(split.rawData).toBe(JSON.stringify(data));
    const ns = expectAgreesWithParse(canonical({ stream: 'orders', namespace: 'shop', data, emitted_at: 5 }));
    expect(ns.record.namespace).toBe('shop');
    expect(ns.rawData).toBe(JSON.stringify(data));
  });

  it('copes with envelope-looking text inside the data', () => {
    for (const data of [{ emitted_at: 5 }, { a: ',"emitted_at":1}}' }, { data: { emitted_at: 1 } }, { x: '}}' }, {}]) {
      const line = canonical({ stream: 's', data, emitted_at: 7 });
      expect(expectAgreesWithParse(line).rawData).toBe(JSON.stringify(data));
    }
  });

  it('keeps the source text of a valid data object that has inner whitespace or a repeated inner key', () => {
    // Same value as parsing the whole line; the text is copied as sent.
    const spaced = '{"type":"RECORD","record":{"stream":"s","data":{ "a" : [ 1 , 2 ] },"emitted_at":1}}';
    expect(expectAgreesWithParse(spaced).rawData).toBe('{ "a" : [ 1 , 2 ] }');
    const repeated = '{"type":"RECORD","record":{"stream":"s","data":{"a":1,"a":2},"emitted_at":1}}';
    expect(expectAgreesWithParse(repeated).record.data).toEqual({ a: 2 });
  });

  it('declines every other layout, so the whole line is parsed instead', () => {
    const declined = [
      // repeated envelope keys: the slice would not be the value JSON.parse keeps
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"data":{"a":2},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1,"stream":"t","data":{"a":2},"emitted_at":2}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1},"record":{"stream":"s","data":{"a":2},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1},"type":"RECORD"}',
      // whitespace outside the data
      '{"type": "RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data": {"a":1},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1} ,"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at": 1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1}} ',
      // other keys or order
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1,"meta":{"changes":[]}}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1,"file_reference":null}}',
      '{"type":"RECORD","record":{"data":{"a":1},"stream":"s","emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","emitted_at":1,"data":{"a":1}}}',
      '{"type":"RECORD","record":{"namespace":"n","stream":"s","data":{"a":1},"emitted_at":1}}',
      '{"record":{"stream":"s","data":{"a":1},"emitted_at":1},"type":"RECORD"}',
      // values the message must not have
      '{"type":"RECORD","record":{"stream":"s","data":[1],"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":null,"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":"1"}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":01}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":1.}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1},"emitted_at":}}',
      '{"type":"RECORD","record":{"stream":1,"data":{"a":1},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","namespace":null,"data":{"a":1},"emitted_at":1}}',
      // invalid JSON
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1,},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":1}},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"\\x","data":{"a":1},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"a\tb","data":{"a":1},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"a":"\u0001"},"emitted_at":1}}',
    ];
    for (const line of declined) expect(split(line), line).toBeUndefined();
  });

  it('reads numbers in any JSON form', () => {
    expect(expectAgreesWithParse('{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":1.5e3}}').record.emitted_at).toBe(1500);
    expect(expectAgreesWithParse('{"type":"RECORD","record":{"stream":"s","data":{},"emitted_at":-0}}').record.emitted_at).toBe(-0);
    expect(expectAgreesWithParse('{"type":"RECORD","record":{"stream":"s\\"q\\u00e9","data":{},"emitted_at":1}}').record.stream).toBe('s"qé');
  });

  it('the reader yields the data text only for lines the fast path took, and still reports broken lines', async () => {
    const lines = [
      canonical({ stream: 's', data: { id: 1 }, emitted_at: 1 }),
      '{"type":"RECORD","record":{"stream":"s","data":{"id":2},"emitted_at":1,"meta":{"changes":[]}}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"id":3},"data":{"id":4},"emitted_at":1}}',
      '{"type":"RECORD","record":{"stream":"s","data":{"id":5,},"emitted_at":1}}',
    ];
    const seen: Array<[number, unknown, string | undefined]> = [];
    await expect(async () => {
      for await (const m of readMessages(Readable.from([`${lines.join('\n')}\n`]))) {
        seen.push([m.line, m.message.type === 'RECORD' ? m.message.record.data : undefined, m.raw?.rawData.toString()]);
      }
    }).rejects.toThrow(/^line 4: invalid JSON/);
    expect(seen).toEqual([
      [1, { id: 1 }, '{"id":1}'],
      [2, { id: 2 }, undefined],
      [3, { id: 4 }, undefined],
    ]);
  });

  it('a JSONL row from the data bytes is the text serialising the row gives', () => {
    const data = { id: 1, s: 'ドア 📦\n"x"', n: [1.25, null], o: { '10': 1, b: 2 } };
    const line = canonical({ stream: 's', data, emitted_at: 9 });
    const raw = split(line)!;
    const ids = { generationId: 3, syncId: 4 };
    const fastRow = { ...toRow(raw, ids), rawId: 'r' };
    const slowRow = { ...toRow(JSON.parse(line).record, ids), rawId: 'r' };
    for (const row of [fastRow, slowRow]) row.changes.push({ field: 'f', change: 'NULLED', reason: 'DESTINATION_TYPECAST_ERROR' });
    const pieces = jsonlPieces(fastRow, false);
    expect(pieces[1]).toBe(raw.rawData);
    const fast = pieces.map(String).join('');
    expect(fast).toBe(jsonlLine(slowRow, false));
    expect(jsonlPieces(slowRow, false)).toEqual([fast]);
    // Flattening needs the fields themselves, so it never uses the bytes.
    const bogus = { ...toRow(JSON.parse(line).record, ids), rawId: 'r', rawData: Buffer.from('{"bogus":true}') };
    expect(jsonlPieces(bogus, true).join('')).not.toContain('bogus');
  });

  it('parses the data only when it is read, once', () => {
    const raw = split(canonical({ stream: 's', data: { id: 1 }, emitted_at: 1 }))!;
    const parse = vi.spyOn(JSON, 'parse');
    const row = toRow(raw, { generationId: null, syncId: null });
    expect(parse).not.toHaveBeenCalled();
    expect(row.data).toEqual({ id: 1 });
    expect(row.data).toBe(raw.data);
    expect(parse).toHaveBeenCalledTimes(1);
    parse.mockRestore();
  });

  it('declines a line that is not valid UTF-8 or ends in CRLF', () => {
    const good = canonical({ stream: 's', data: { a: 'é' }, emitted_at: 1 });
    const bytes = Buffer.from(good);
    bytes[bytes.indexOf(0xc3)] = 0xff;
    expect(splitRecordLine(bytes)).toBeUndefined();
    expect(split(`${good}\r`)).toBeUndefined();
    expect(split(canonical({ stream: '', data: {}, emitted_at: 1 }))).toBeDefined(); // checked by the destination
  });
});
