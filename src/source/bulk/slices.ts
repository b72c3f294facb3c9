/**
 * Date-window slices. Windows are half-open [start, end) on whole seconds (Shopify timestamps have
 * second precision), so consecutive windows neither overlap nor leave a gap.
 */
export interface Window {
  start: number;
  end: number;
}

const SECOND = 1000;
const DAY = 86_400_000;

function floorSecond(ms: number): number {
  return Math.floor(ms / SECOND) * SECOND;
}

/** Consecutive windows of at most `days` covering [start, end); none when start >= end. */
export function planWindows(start: number, end: number, days: number): Window[] {
  const size = Math.max(SECOND, Math.round(days * DAY));
  const out: Window[] = [];
  for (let s = floorSecond(start), e = floorSecond(end); s < e; s += size) out.push({ start: s, end: Math.min(s + size, e) });
  return out;
}

/** Cuts a window in two at a whole second; undefined when it is one second or less. */
export function splitWindow(w: Window): [Window, Window] | undefined {
  if (w.end - w.start <= SECOND) return undefined;
  const mid = floorSecond(w.start + (w.end - w.start) / 2);
  const cut = mid <= w.start ? w.start + SECOND : mid;
  return [
    { start: w.start, end: cut },
    { start: cut, end: w.end },
  ];
}

/** `2024-01-01T00:00:00Z`: the form Shopify's search syntax and its DateTime fields use. */
export function isoSecond(ms: number): string {
  return new Date(floorSecond(ms)).toISOString().replace('.000Z', 'Z');
}

/** Airbyte's cursor form: `2024-01-01T00:00:00+00:00`. */
export function airbyteTimestamp(ms: number): string {
  return isoSecond(ms).replace(/Z$/, '+00:00');
}

export function windowFilter(field: string, w: Window): string {
  return `${field}:>='${isoSecond(w.start)}' AND ${field}:<'${isoSecond(w.end)}'`;
}

export function windowLabel(stream: string, w: Window | undefined): string {
  return w ? `${stream} [${isoSecond(w.start)}, ${isoSecond(w.end)})` : `${stream} (whole stream)`;
}
