// Opt-in canvas capture (start() option `canvasFps`): a few times a second, each visible canvas
// of the document is encoded (toBlob: off the main thread in Chromium) and sent as a
// CanvasMutation that redraws it as a bitmap, as rrweb's FPS mode does. An unchanged image is not
// sent again. Pixels can show text that no masking reaches: canvases inside masked, ignored or
// blocked markup (or any, with maskAllText) are never captured.

import { IncrementalSource, type CanvasMutationData } from './schema.js';
import { getId } from './mirror.js';
import { Ctx, contextOf } from './privacy.js';
import { guard } from './util.js';

let timer = 0;
let last = new WeakMap<HTMLCanvasElement, string>();
let busy = new WeakSet<HTMLCanvasElement>();
let emit: (data: CanvasMutationData) => void = () => {};

/** Every canvas is sent again at the next tick (after a full snapshot, which shows them blank). */
export function resend(): void {
  last = new WeakMap();
}

function visible(c: HTMLCanvasElement): boolean {
  if (!c.width || !c.height || !getId(c) || contextOf(c) & (Ctx.Mask | Ctx.Ignore | Ctx.Block)) return false;
  const r = c.getBoundingClientRect();
  return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth && r.width > 0;
}

function capture(c: HTMLCanvasElement): void {
  busy.add(c);
  const { width, height } = c;
  c.toBlob(
    (blob) => {
      if (!blob) return void busy.delete(c);
      const reader = new FileReader(); // base64 off the page's thread
      reader.onloadend = guard(() => {
        busy.delete(c);
        const url = reader.result as string | null;
        const data = url && url.slice(url.indexOf(',') + 1);
        if (!data || last.get(c) === data || !c.isConnected) return;
        last.set(c, data);
        const image = { rr_type: 'Blob', data: [{ rr_type: 'ArrayBuffer', base64: data }], type: blob.type };
        emit({
          source: IncrementalSource.CanvasMutation,
          id: getId(c),
          type: 0,
          commands: [
            { property: 'clearRect', args: [0, 0, width, height] },
            { property: 'drawImage', args: [{ rr_type: 'ImageBitmap', args: [image] }, 0, 0] },
          ],
        });
      });
      reader.readAsDataURL(blob);
    },
    'image/webp',
    0.6,
  );
}

function tick(): void {
  if (document.visibilityState !== 'visible') return;
  const list = document.getElementsByTagName('canvas');
  for (let i = 0; i < list.length; i++) {
    const c = list[i] as HTMLCanvasElement;
    if (!busy.has(c) && visible(c)) {
      try {
        capture(c);
      } catch {
        busy.delete(c); // a tainted canvas (cross-origin images) cannot be read: skipped
      }
    }
  }
}

/** Captures canvases `fps` times a second (at most 10); 0 or less: never. */
export function start(fn: (data: CanvasMutationData) => void, fps: number): void {
  emit = fn;
  resend();
  busy = new WeakSet();
  if (fps > 0) timer = setInterval(guard(tick), 1000 / Math.min(fps, 10)) as unknown as number;
}

export function stop(): void {
  clearInterval(timer);
  emit = () => {};
}
