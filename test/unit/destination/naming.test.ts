import { describe, expect, it } from 'vitest';
import { safeSegment, streamNaming, validateNaming, type NamingContext } from '../../../src/destination/naming.js';

const ctx = (over: Partial<NamingContext> = {}): NamingContext => ({
  bucketPath: 'data_sync/test',
  pathFormat: '${NAMESPACE}/${STREAM_NAME}/${YEAR}_${MONTH}_${DAY}_${EPOCH}_',
  fileNamePattern: undefined,
  startedAt: new Date(Date.UTC(2021, 0, 1, 22, 46, 11, 643)),
  syncId: 7,
  ...over,
});

describe('object naming', () => {
  it("matches Airbyte's default layout, with and without a namespace", () => {
    expect(streamNaming(ctx(), { name: 'users', namespace: 'public' }, '.csv.gz').objectName(0)).toBe('data_sync/test/public/users/2021_01_01_1609541171643_0.csv.gz');
    const n = streamNaming(ctx(), { name: 'users' }, '.jsonl');
    expect(n.objectName(2)).toBe('data_sync/test/users/2021_01_01_1609541171643_2.jsonl');
    expect(n.partPrefix).toBe('data_sync/test/users/2021_01_01_1609541171643_');
    expect(n.streamPrefix).toBe('data_sync/test/users/');
  });

  it('expands every path and file-name variable', () => {
    const n = streamNaming(
      ctx({ bucketPath: '', pathFormat: '${STREAM_NAME}/${HOUR}-${MINUTE}-${SECOND}-${MILLISECOND}/${SYNC_ID}/', fileNamePattern: '{date}_{date:yyyy_MM}_{timestamp}_{timestamp:micros}_{sync_id}_{part_number}{format_extension}' }),
      { name: 'orders' },
      '.parquet',
    );
    expect(n.objectName(1)).toBe('orders/22-46-11-643/7/2021_01_01_2021_01_1609541171643_1609541171643000_7_1.parquet');
    expect(n.streamPrefix).toBe('orders/');
  });

  it('keeps part names unique and extended when the pattern omits them', () => {
    const n = streamNaming(ctx({ fileNamePattern: 'export' }), { name: 'orders' }, '.jsonl.gz');
    expect(n.objectName(0)).not.toBe(n.objectName(1));
    expect(n.objectName(1)).toMatch(/_export_1\.jsonl\.gz$/);
  });

  it('sanitises stream names and namespaces into safe path segments', () => {
    expect(safeSegment('Café orders/2024 #1')).toBe('Cafe_orders_2024__1');
    expect(safeSegment('..')).toBe('__');
  });

  it('rejects unknown variables naming the setting', () => {
    expect(() => validateNaming('${STREAM}/', undefined)).toThrow(/gcs_path_format uses an unknown variable \$\{STREAM\}/);
    expect(() => validateNaming('${STREAM_NAME}/', '{part}')).toThrow(/file_name_pattern uses an unknown variable \{part\}/);
  });
});
