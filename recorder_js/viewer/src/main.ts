// The session page: wires the streamed player, the marker strip, the side panel and the link
// bar to the page the collector serves (#session-view and its data-* attributes).
import 'rrweb-player/dist/style.css';
import './viewer.css';
import { el } from './dom';
import { createLinkBar } from './link';
import { MarkerStrip } from './markers';
import { renderPanel } from './panel';
import { StreamedPlayer } from './player';
import { streamEvents } from './stream';
import { fetchTimeline, moments } from './timeline';

/** Read-only view of the viewer's state, for scripts and tests. */
export interface ViewerHook {
  currentTime(): number;
  seek(ms: number): void;
  ready: Promise<void>;
  eventsLoaded(): number;
  eventsAtStart(): number;
  streamed: Promise<number>;
  timelineShown: Promise<void>;
}

declare global {
  interface Window {
    sessiontapeViewer?: ViewerHook;
  }
}

function startOffset(raw: string | undefined): number | null {
  if (!raw) return null;
  const value = Number(raw);
  return Number.isFinite(value) && value >= 0 ? value : null;
}

function showError(where: HTMLElement, message: string): void {
  where.appendChild(el('p', { className: 'viewer-error', text: message, attrs: { role: 'alert' } }));
}

/** Lets the browser paint (and run the replayer's own timers) between downloaded chunks. */
function yieldToBrowser(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

function start(root: HTMLElement): ViewerHook {
  const area = root.querySelector<HTMLElement>('#player-area') ?? root;
  const side = root.querySelector<HTMLElement>('#side-panel');
  const startMs = startOffset(root.dataset.startMs);

  const stage = el('div', { className: 'player-stage' });
  // With ?t= the page opens paused at that moment; without, it plays from the start.
  const player = new StreamedPlayer({ target: stage, autoPlay: startMs === null });
  const seek = (ms: number): void => void player.seek(ms);
  const strip = new MarkerStrip(seek);
  area.append(stage, strip.element, createLinkBar(() => player.currentTime()));

  const streamed = streamEvents(root.dataset.eventsUrl ?? '', async (batch) => {
    player.add(batch);
    await yieldToBrowser();
  }).then(
    (count) => {
      player.end();
      if (!player.hasPlayer()) showError(area, 'This session has no page snapshot to replay.');
      return count;
    },
    (error: unknown) => {
      player.end();
      const what = player.hasPlayer() ? 'The rest of the session' : "The session's events";
      showError(area, `${what} could not be loaded (${String(error)}).`);
      return player.loaded;
    },
  );

  const timelineShown = fetchTimeline(root.dataset.timelineUrl ?? '').then(
    (timeline) => {
      strip.render(moments(timeline), timeline.duration_ms);
      if (side) renderPanel(side, timeline, seek);
    },
    (error: unknown) => showError(side ?? area, `The timeline could not be loaded (${String(error)}).`),
  );

  const ready = player.created.then(() => (startMs === null ? undefined : player.seek(startMs, false)));
  ready.catch(() => undefined); // the stream's handler already tells the person why
  setInterval(() => strip.update(player.currentTime(), player.loadedDuration()), 250);

  return Object.freeze({
    currentTime: () => player.currentTime(),
    seek,
    ready,
    eventsLoaded: () => player.loaded,
    eventsAtStart: () => player.loadedAtCreation,
    streamed,
    timelineShown,
  });
}

const root = document.getElementById('session-view');
if (root) window.sessiontapeViewer = start(root);
