// The script-tag (IIFE) entry of canvas capture: window.sessiontapeCanvas = { recordCanvas }.
// Loaded before (or with) the recorder's script, it lets data-canvas-fps="2" on that script turn
// canvas capture on; or pass window.sessiontapeCanvas.recordCanvas({ fps }) in start()'s
// `extensions` yourself.

import { recordCanvas } from './canvas.js';

declare global {
  interface Window {
    sessiontapeCanvas?: { recordCanvas: typeof recordCanvas };
  }
}

window.sessiontapeCanvas = { recordCanvas };
