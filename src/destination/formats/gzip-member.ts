/**
 * A gzip file (RFC 1952, one member) compressed on the calling thread, piece by piece. zlib's stream
 * compresses on the thread pool: every 64 KiB written is a hand-off to a pool thread and back, and
 * on two busy cores those wake-ups cost more than the hand-off saves. Here each piece is deflated at
 * once with `deflateRawSync`, primed with the 32 KiB of text before it (the most deflate can refer
 * back to), and ends with a sync flush, so the pieces join into one deflate stream as if compressed
 * in one go (pigz builds its streams the same way). The member's trailer carries the CRC-32 and
 * length of all the text.
 */
import { constants, crc32, deflateRawSync } from 'node:zlib';

/** How far back deflate can refer: priming each piece with this much of the text before it loses nothing. */
const WINDOW_BYTES = 32 * 1024;
/** ID1 ID2, CM = deflate, no flags, no modification time, XFL 0, OS = unix (as zlib's gzip writes). */
const HEADER = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0, 0, 0, 0, 0x00, 0x03]);
/** An empty final block with fixed codes: ends the deflate stream. */
const LAST_BLOCK = Buffer.from([0x03, 0x00]);

export class GzipMember {
  private started = false;
  private crc = 0;
  private length = 0;
  private window: Buffer | undefined;

  constructor(private readonly level: number) {}

  /** The compressed bytes for `text` (after the header, for the first piece). `text` may be reused after. */
  deflate(text: Uint8Array): Buffer[] {
    const out = this.start();
    if (text.length === 0) return out;
    out.push(deflateRawSync(text, { level: this.level, finishFlush: constants.Z_SYNC_FLUSH, ...(this.window ? { dictionary: this.window } : {}) }));
    this.crc = crc32(text, this.crc);
    this.length += text.length;
    this.window = Buffer.from(text.subarray(Math.max(0, text.length - WINDOW_BYTES)));
    return out;
  }

  /** The last bytes of the member: the final block and the trailer (CRC-32, then length modulo 2^32). */
  finish(): Buffer[] {
    const trailer = Buffer.alloc(8);
    trailer.writeUInt32LE(this.crc >>> 0, 0);
    trailer.writeUInt32LE(this.length % 2 ** 32, 4);
    return [...this.start(), LAST_BLOCK, trailer];
  }

  /** The header, the first time only. */
  private start(): Buffer[] {
    if (this.started) return [];
    this.started = true;
    return [HEADER];
  }
}
