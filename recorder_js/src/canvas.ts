// Opt-in canvas capture, an extension in a bundle of its own (canvas.mjs / canvas.js):
// start({ extensions: [recordCanvas({ fps: 2 })] }). A few times a second, each visible canvas of
// the document is encoded (toBlob: off the main thread in Chromium) and sent as a CanvasMutation
// that redraws it as a bitmap, as rrweb's FPS mode does. An unchanged image is not sent again.
// Pixels can show text that no masking reaches: canvases inside masked, ignored or blocked markup
// (or any, with maskAllText) are never captured.

import type { Extension, ExtensionContext } from './extension.js';
import { IncrementalSource } from './schema.js';

export interface CanvasOptions {
  /** Snapshots per second, at most 10. */
  fps: number;
}

export function recordCanvas(options: CanvasOptions): Extension {
  let timer = 0;
  let last = new WeakMap<HTMLCanvasElement, string>();
  const busy = new WeakSet<HTMLCanvasElement>();
  /** The recording under way: an image encoded for an earlier one (stopped, restarted) is dropped. */
  let recording: ExtensionContext | null = null;

  function visible(c: HTMLCanvasElement, cx: ExtensionContext): boolean {
    if (!c.width || !c.height || !cx.idOf(c) || cx.hidden(c)) return false;
    const r = c.getBoundingClientRect();
    return r.bottom > 0 && r.right > 0 && r.top < innerHeight && r.left < innerWidth && r.width > 0;
  }

  function capture(c: HTMLCanvasElement, cx: ExtensionContext): void {
    busy.add(c);
    const { width, height } = c;
    c.toBlob(
      (blob) => {
        if (!blob) return void busy.delete(c);
        const reader = new FileReader(); // base64 off the page's thread
        reader.onloadend = cx.guard(() => {
          busy.delete(c);
          const url = reader.result as string | null;
          const data = url && url.slice(url.indexOf(',') + 1);
          if (!data || last.get(c) === data || !c.isConnected || recording !== cx) return;
          last.set(c, data);
          const image = { rr_type: 'Blob', data: [{ rr_type: 'ArrayBuffer', base64: data }], type: blob.type };
          cx.emit({
            source: IncrementalSource.CanvasMutation,
            id: cx.idOf(c),
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

  function tick(cx: ExtensionContext): void {
    if (document.visibilityState !== 'visible') return;
    const list = document.getElementsByTagName('canvas');
    for (let i = 0; i < list.length; i++) {
      const c = list[i] as HTMLCanvasElement;
      if (!busy.has(c) && visible(c, cx)) {
        try {
          capture(c, cx);
        } catch {
          busy.delete(c); // a tainted canvas (cross-origin images) cannot be read: skipped
        }
      }
    }
  }

  return {
    start(cx) {
      recording = cx;
      last = new WeakMap();
      const every = 1000 / Math.min(options.fps, 10);
      if (options.fps > 0) timer = setInterval(cx.guard(() => tick(cx)), every) as unknown as number;
    },
    stop() {
      clearInterval(timer);
      recording = null;
    },
    /** Every canvas is sent again at the next tick (a full snapshot shows them blank). */
    snapshotTaken() {
      last = new WeakMap();
    },
  };
}
