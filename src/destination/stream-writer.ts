/**
 * One stream's output: records go into the open object part (encoded into a local spool file); a part is
 * closed when it reaches the object size, when a STATE needs it committed, or when too many parts are
 * open. A part's bytes are also streamed to GCS as they are spooled (its first upload attempt), and a
 * closed part's upload is finished, or retried from the spool, in the background. `committed` counts the
 * parts, from the first, that are finalized and visible in GCS: a STATE may be echoed once `committed`
 * reaches its barrier.
 */
import { join } from 'node:path';
import type { Logger } from '../runtime/logger.js';
import type { StreamTarget } from './catalog.js';
import { SpoolFile, type OutputFormatWriter, type PartEncoder } from './formats/index.js';
import { StreamedUpload, listObjects, uploadObject, type GcsOps, type UploadTarget } from './gcs/objects.js';
import type { StreamNaming } from './naming.js';
import type { AirbyteRow } from './records.js';
import type { UploadSlots } from './upload-slots.js';

interface OpenPart {
  index: number;
  name: string;
  encoder: PartEncoder;
  spool: SpoolFile;
  /** The part's first upload attempt, streamed as the spool is written (formats that write as they go). */
  streamed: StreamedUpload | undefined;
  openedAt: number;
  records: number;
}

export interface StreamWriterDeps {
  format: OutputFormatWriter;
  naming: StreamNaming;
  ops: GcsOps;
  slots: UploadSlots;
  spoolDir: string;
  maxObjectBytes: number;
  logger: Logger;
  now: () => number;
  /** Called whenever a part commits (the coordinator then echoes the states that became safe). */
  onCommit: () => void;
}

export interface WrittenObject {
  name: string;
  records: number;
  bytes: number;
}

export class StreamWriter {
  private open: OpenPart | undefined;
  private partsCreated = 0;
  private readonly finished: boolean[] = [];
  private takenNames: Set<string> | undefined;
  private nextNumber = 0;
  private readonly uploads = new Set<Promise<void>>();
  committed = 0;
  failure: unknown;
  records = 0;
  lastWriteAt = 0;
  readonly objects: WrittenObject[] = [];

  /** What each of this stream's objects is created with: its format's content type and generation tags. */
  private readonly uploadTarget: UploadTarget;

  constructor(readonly target: StreamTarget, private readonly deps: StreamWriterDeps) {
    const { generationId, syncId, label } = target;
    const metadata = generationId === null ? undefined : { 'ab-generation-id': String(generationId), 'ab-sync-id': String(syncId ?? ''), 'ab-stream': label };
    this.uploadTarget = { contentType: deps.format.contentType, ...(metadata ? { metadata } : {}) };
  }

  get isOpen(): boolean {
    return this.open !== undefined;
  }

  /** How long the open part has been open (0 when none is). */
  openForMs(): number {
    return this.open ? this.deps.now() - this.open.openedAt : 0;
  }

  /** The number of parts that must be committed before a STATE arriving now may be echoed. */
  barrier(): number {
    return this.partsCreated;
  }

  async write(row: AirbyteRow): Promise<void> {
    const part = this.open ?? (await this.openPart());
    part.records++;
    this.records++;
    this.lastWriteAt = this.deps.now();
    const wait = part.encoder.append(row);
    if (wait) await wait;
    if (part.encoder.bytes >= this.deps.maxObjectBytes) await this.closePart();
  }

  private async nextName(): Promise<string> {
    // Names already in the bucket are never reused: a part is only ever created, not replaced.
    this.takenNames ??= new Set((await listObjects(this.deps.ops, this.deps.naming.partPrefix)).map((o) => o.name));
    let name = this.deps.naming.objectName(this.nextNumber++);
    while (this.takenNames.has(name)) name = this.deps.naming.objectName(this.nextNumber++);
    this.takenNames.add(name);
    return name;
  }

  private async openPart(): Promise<OpenPart> {
    const name = await this.nextName();
    const index = this.partsCreated++;
    const streamed = this.deps.format.streamsAsWritten ? new StreamedUpload(this.deps.ops, name, this.uploadTarget) : undefined;
    const spool = new SpoolFile(join(this.deps.spoolDir, `${this.target.key.replace(/[^A-Za-z0-9_-]/g, '_')}-${index}`), streamed);
    this.open = { index, name, spool, streamed, encoder: this.deps.format.createEncoder(spool), openedAt: this.deps.now(), records: 0 };
    return this.open;
  }

  /** Finishes the open part and starts its upload (waiting for an upload slot first). */
  async closePart(): Promise<void> {
    const part = this.open;
    if (!part) return;
    this.open = undefined;
    await part.encoder.finish();
    const spooled = part.spool.close();
    const release = await this.deps.slots.acquire();
    const upload = uploadObject(this.deps.ops, part.name, { ...spooled, ...this.uploadTarget }, part.streamed)
      .then(
        () => {
          this.objects.push({ name: part.name, records: part.records, bytes: spooled.size });
          this.finished[part.index] = true;
          while (this.finished[this.committed]) this.committed++;
          this.deps.logger.debug(`${this.target.label}: committed ${part.name} (${part.records} records, ${spooled.size} bytes)`);
        },
        (err: unknown) => {
          this.failure ??= err;
        },
      )
      .finally(() => {
        release();
        part.spool.discard();
        this.uploads.delete(upload);
        this.deps.onCommit();
      });
    this.uploads.add(upload);
  }

  /** Closes the open part and waits for every upload of this stream to settle. */
  async flush(): Promise<void> {
    await this.closePart();
    while (this.uploads.size > 0) await Promise.all([...this.uploads]);
  }

  /** The sync failed: drop the open part, let running uploads settle, commit nothing more. */
  async abort(): Promise<void> {
    const part = this.open;
    this.open = undefined;
    if (part) {
      part.encoder.abort();
      part.streamed?.abort();
      part.spool.discard();
    }
    await Promise.allSettled([...this.uploads]);
  }
}
