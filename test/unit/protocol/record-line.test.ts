import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { splitRecordLine } from '../../../src/protocol/record-line.js';
import { readMessages } from '../../../src/protocol/reader.js';
import { jsonlLine } from '../../../src/destination/formats/jsonl.js';
import { toRow } from '../../../src/destination/records.js';

const canonical = (record: Record<string, unknown>) => JSON.stringify({ type: 'RECORD', record });

/** Whenever the fast path accepts a line, it must agree exactly with parsing the whole line. */
function expectAgreesWithParse(line: string) {
  const split = splitRecordLine(line);
  const parsed = JSON.parse(line) as { record: { data: unknown } };
  expect(split).toBeDefined();
  expect(split!.record).toStrictEqual(parsed.record);
  expect(JSON.parse(split!.rawData)).toStrictEqual(parsed.record.data);
  return split!;
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
    for (const line of declined) expect(splitRecordLine(line), line).toBeUndefined();
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
        seen.push([m.line, m.message.type === 'RECORD' ? m.message.record.data : undefined, m.rawData]);
      }
    }).rejects.toThrow(/^line 4: invalid JSON/);
    expect(seen).toEqual([
      [1, { id: 1 }, '{"id":1}'],
      [2, { id: 2 }, undefined],
      [3, { id: 4 }, undefined],
    ]);
  });

  it('a JSONL row from the data text is the text serialising the row gives', () => {
    const data = { id: 1, s: 'ドア 📦\n"x"', n: [1.25, null], o: { '10': 1, b: 2 } };
    const split = splitRecordLine(canonical({ stream: 's', data, emitted_at: 9, meta: undefined }))!;
    const ids = { generationId: 3, syncId: 4 };
    const fast = jsonlLine({ ...toRow({ ...split.record, meta: { changes: [{ field: 'f', change: 'NULLED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] } }, ids, split.rawData), rawId: 'r' }, false);
    const slow = jsonlLine({ ...toRow({ ...split.record, meta: { changes: [{ field: 'f', change: 'NULLED', reason: 'SOURCE_FIELD_SIZE_LIMITATION' }] } }, ids), rawId: 'r' }, false);
    expect(fast).toContain(split.rawData);
    expect(fast).toBe(slow);
    // Flattening needs the fields themselves, so it never uses the text.
    expect(jsonlLine({ ...toRow(split.record, ids, '{"bogus":true}'), rawId: 'r' }, true)).not.toContain('bogus');
  });
});
