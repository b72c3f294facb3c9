import { execFileSync } from 'node:child_process';
import { constants, deflateRawSync, gunzipSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { GzipMember } from '../../../src/destination/formats/gzip-member.js';

/** Text like a part's: JSON lines with repeats near and far (~6 MB). */
const TEXT = Buffer.from(
  Array.from({ length: 40_000 }, (_, i) => `{"_airbyte_raw_id":"${(i * 2654435761).toString(16)}","_airbyte_data":{"id":${i},"name":"customer ${i % 977}","tags":["a","b${i % 13}"],"note":"${'abcdefghij'.slice(i % 10)}"}}\n`).join(''),
);

function compress(text: Buffer, pieceBytes: number, level = 3): Buffer {
  const member = new GzipMember(level);
  const out: Buffer[] = [];
  for (let at = 0; at < text.length; at += pieceBytes) out.push(...member.deflate(text.subarray(at, at + pieceBytes)));
  out.push(...member.finish());
  return Buffer.concat(out);
}

describe('gzip member compressed piece by piece', () => {
  it('decodes to the text, whatever the pieces, with the CRC and length zlib and gzip(1) check', () => {
    for (const pieceBytes of [7, 1000, 32 * 1024, 100_003, 512 * 1024, 10_000_000]) {
      const text = pieceBytes < 1000 ? TEXT.subarray(0, 50_000) : TEXT;
      const gz = compress(text, pieceBytes);
      expect(gunzipSync(gz).equals(text), `pieces of ${pieceBytes} bytes`).toBe(true);
      expect(execFileSync('gzip', ['-dc'], { input: gz, maxBuffer: 64 * 1024 * 1024 }).equals(text), `gzip -dc, pieces of ${pieceBytes}`).toBe(true);
    }
    expect(gunzipSync(Buffer.concat(new GzipMember(3).finish())).length).toBe(0);
  });

  it('compresses as well as one pass over the whole text (each piece is primed with the text before it)', () => {
    const whole = gzipSync(TEXT, { level: 3 }).length;
    const pieces = compress(TEXT, 512 * 1024).length;
    expect(Math.abs(pieces - whole) / whole).toBeLessThan(0.01);
    // Pieces compressed on their own would lose the repeats across their boundaries.
    let unprimed = 0;
    for (let at = 0; at < TEXT.length; at += 4096) unprimed += deflateRawSync(TEXT.subarray(at, at + 4096), { level: 3, finishFlush: constants.Z_SYNC_FLUSH }).length;
    expect(compress(TEXT, 4096).length).toBeLessThan(unprimed * 0.9);
  });

  it('uses the level it is given', () => {
    expect(compress(TEXT, 512 * 1024, 9).length).toBeLessThan(compress(TEXT, 512 * 1024, 1).length);
  });

  it('corrupting the trailer is caught by the reader', () => {
    const gz = compress(TEXT.subarray(0, 10_000), 4096);
    gz.writeUInt8(gz.readUInt8(gz.length - 8) ^ 0xff, gz.length - 8);
    expect(() => gunzipSync(gz)).toThrow();
  });
});
