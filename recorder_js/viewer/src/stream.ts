// Reads the session's NDJSON event stream chunk by chunk, handing each chunk's events on as soon
// as they are parsed, so the player can start before the last line has arrived.
import type { eventWithTime } from '@rrweb/types';

export type BatchHandler = (events: eventWithTime[]) => void | Promise<void>;

function parseLines(text: string, into: eventWithTime[]): void {
  for (const line of text.split('\n')) {
    if (line.trim()) into.push(JSON.parse(line) as eventWithTime);
  }
}

/** Streams `url` and calls `onBatch` per received chunk; resolves with the number of events. */
export async function streamEvents(url: string, onBatch: BatchHandler): Promise<number> {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/x-ndjson' },
  });
  if (!response.ok) throw new Error(`events: HTTP ${response.status}`);
  let count = 0;
  const emit = async (events: eventWithTime[]): Promise<void> => {
    if (!events.length) return;
    count += events.length;
    await onBatch(events);
  };
  if (!response.body) {
    const all: eventWithTime[] = [];
    parseLines(await response.text(), all);
    await emit(all);
    return count;
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let rest = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    rest += decoder.decode(value, { stream: true });
    const cut = rest.lastIndexOf('\n');
    if (cut < 0) continue;
    const batch: eventWithTime[] = [];
    parseLines(rest.slice(0, cut), batch);
    rest = rest.slice(cut + 1);
    await emit(batch);
  }
  const tail: eventWithTime[] = [];
  parseLines(rest + decoder.decode(), tail);
  await emit(tail);
  return count;
}
