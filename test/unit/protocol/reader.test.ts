import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMessages } from '../../../src/protocol/reader.js';
import { lineBatches } from '../../../src/protocol/lines.js';

async function collect(chunks: Array<string | Buffer>) {
  const out = [];
  for await (const m of readMessages(Readable.from(chunks))) out.push(m);
  return out;
}

const rec = (id: number) => JSON.stringify({ type: 'RECORD', record: { stream: 's', data: { id }, emitted_at: 1 } });

describe('stdin message reader', () => {
  it('reads messages split at arbitrary chunk boundaries with their line numbers', async () => {
    const text = `${rec(1)}\n${rec(2)}\n\n${rec(3)}\n`;
    const chunks = text.match(/.{1,7}/gs)!;
    const out = await collect(chunks);
    expect(out.map((m) => [m.line, (m.message as unknown as { record: { data: { id: number } } }).record.data.id])).toEqual([[1, 1], [2, 2], [4, 3]]);
  });

  it('handles a single 20 MB line', async () => {
    const big = JSON.stringify({ type: 'RECORD', record: { stream: 's', data: { blob: 'é'.repeat(10 * 1024 * 1024) }, emitted_at: 1 } });
    const buf = Buffer.from(`${rec(1)}\n${big}\n${rec(2)}`);
    const chunks = [];
    for (let i = 0; i < buf.length; i += 65536) chunks.push(buf.subarray(i, i + 65536));
    const out = await collect(chunks);
    expect(out).toHaveLength(3);
    expect(((out[1]!.message as unknown as { record: { data: { blob: string } } }).record.data.blob).length).toBe(10 * 1024 * 1024);
  });

  it('reports a broken line by its number and yields nothing after it', async () => {
    const seen: number[] = [];
    await expect(async () => {
      for await (const m of readMessages(Readable.from([`${rec(1)}\n${rec(2)}\n{"type":"RECORD",\n${rec(4)}\n`]))) seen.push(m.line);
    }).rejects.toThrow(/^line 3: invalid JSON/);
    expect(seen).toEqual([1, 2]);
  });

  it('rejects an unknown message type, a non-object and invalid UTF-8 with the line number', async () => {
    await expect(collect([`${rec(1)}\n{"type":"BOGUS"}\n`])).rejects.toThrow(/line 2: unknown message type "BOGUS"/);
    await expect(collect(['[1,2]\n'])).rejects.toThrow(/line 1: not an Airbyte message/);
    await expect(collect([Buffer.concat([Buffer.from(`${rec(1)}\n{"type":"LOG","log":{"level":"INFO","message":"`), Buffer.from([0xc3, 0x28]), Buffer.from('"}}\n')])])).rejects.toThrow(
      /line 2: invalid UTF-8/,
    );
  });

  it('yields a final line without a trailing newline', async () => {
    const batches = [];
    for await (const b of lineBatches(Readable.from(['a\nb']))) batches.push(b);
    expect(batches).toEqual([{ firstLine: 1, lines: ['a'] }, { firstLine: 2, lines: ['b'] }]);
  });
});
