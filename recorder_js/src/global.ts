// The script-tag (IIFE) entry: window.sessiontape = {start, optOut, optIn, isOptedOut, recorder}.
// <script src=".../recorder.js" data-endpoint="https://collector" data-key="st_pk_..."> starts
// recording by itself, once the document is parsed so the full snapshot sees the whole page;
// data-canvas-fps="2" turns on canvas capture when the canvas script (canvas.js) is on the page too.

import { getRecorder, isOptedOut, optIn, optOut, start, type Recorder } from './index.js';

declare global {
  interface Window {
    sessiontape?: {
      start: typeof start;
      optOut: typeof optOut;
      optIn: typeof optIn;
      isOptedOut: typeof isOptedOut;
      readonly recorder: Recorder | null;
    };
  }
}

/** A same-origin frame of a recorded page: the parent's recorder records this frame too. */
function recordedByParent(): boolean {
  try {
    return window.parent !== window && !!window.parent.sessiontape;
  } catch {
    return false; // cross-origin parent
  }
}

if (!window.sessiontape) {
  window.sessiontape = {
    start,
    optOut,
    optIn,
    isOptedOut,
    get recorder() {
      return getRecorder();
    },
  };
  try {
    const script = document.currentScript;
    const endpoint = script && script.getAttribute('data-endpoint');
    const key = script && script.getAttribute('data-key');
    if (endpoint && key && !recordedByParent()) {
      const fps = +(script.getAttribute('data-canvas-fps') || 0);
      const go = () => {
        const canvas = window.sessiontapeCanvas;
        start({ endpoint, key, extensions: canvas && fps > 0 ? [canvas.recordCanvas({ fps })] : [] });
      };
      if (document.readyState === 'loading')
        document.addEventListener('DOMContentLoaded', go, { once: true });
      else go();
    }
  } catch {
    /* never break the page */
  }
}
