// rrweb-player fed from a stream: created once the first Meta + FullSnapshot are in, then given
// every later event with addEvent, so the replay starts while the rest is still downloading.
import type { eventWithTime } from '@rrweb/types';
import Player from 'rrweb-player';

const META = 4;
const FULL_SNAPSHOT = 2;
const REDRAW_EVERY_MS = 1000;
/** Colours of the custom-event ticks rrweb-player draws on its own progress bar (the client
 * description is no moment worth a tick). */
const TAG_COLOURS = { navigation: '#3b6fd8', dropped: '#555555', client: 'transparent' };

export interface StreamedPlayerOptions {
  target: HTMLElement;
  autoPlay: boolean;
}

/** The Svelte component API rrweb-player inherits (its typings leave the base class out). */
interface SvelteComponentApi {
  $set(props: Record<string, unknown>): void;
}

interface Waiter {
  offset: number;
  release: () => void;
}

function canStart(events: eventWithTime[]): boolean {
  const meta = events.findIndex((e) => e.type === META);
  return meta >= 0 && events.some((e, i) => i > meta && e.type === FULL_SNAPSHOT);
}

export class StreamedPlayer {
  /** Events received; those before the player exists wait in `buffered`. */
  loaded = 0;
  /** How many events had arrived when the player was created. */
  loadedAtCreation = 0;
  /** Settles when the player exists, or fails when the stream ended without a page snapshot. */
  readonly created: Promise<void>;
  private markCreated: () => void = () => undefined;
  private markUnplayable: (reason: Error) => void = () => undefined;
  private buffered: eventWithTime[] = [];
  private player: Player | null = null;
  private first = 0;
  private last = 0;
  private complete = false;
  /** Where playback ran out of downloaded events; it resumes there when more arrive. */
  private stalledAt: number | null = null;
  private waiters: Waiter[] = [];
  private seekSerial = 0;
  private lastRedraw = 0;
  private inactiveShade = false;

  constructor(private readonly options: StreamedPlayerOptions) {
    this.created = new Promise((resolve, reject) => {
      this.markCreated = resolve;
      this.markUnplayable = reject;
    });
  }

  add(events: eventWithTime[]): void {
    if (!events.length) return;
    this.loaded += events.length;
    if (this.player) {
      this.feed(events, this.player);
    } else {
      for (const event of events) this.buffered.push(event);
      if (canStart(this.buffered)) this.create();
    }
  }

  /** The stream ended: whatever is loaded is the whole session. */
  end(): void {
    this.complete = true;
    if (!this.player && this.buffered.some((e) => e.type === FULL_SNAPSHOT)) this.create();
    if (!this.player) this.markUnplayable(new Error('the session has no page snapshot to replay'));
    void Promise.resolve().then(() => this.redrawPlayerMarks());
    this.releaseWaiters();
  }

  hasPlayer(): boolean {
    return this.player !== null;
  }

  /** Milliseconds of the session downloaded so far, from its first event. */
  loadedDuration(): number {
    return this.player ? this.last - this.first : 0;
  }

  currentTime(): number {
    if (!this.player) return 0;
    const now = this.player.getReplayer().getCurrentTime();
    return Math.min(Math.max(0, now), this.loadedDuration());
  }

  /** Moves to `offset` ms once it has downloaded; keeps playing or paused unless `play` says. */
  async seek(offset: number, play?: boolean): Promise<void> {
    const serial = ++this.seekSerial;
    if (!(await this.created.then(() => true, () => false))) return;
    await this.loadedThrough(offset);
    await Promise.resolve(); // events handed to the replayer land in a microtask
    if (serial !== this.seekSerial || !this.player) return;
    this.stalledAt = null;
    const target = Math.min(Math.max(0, offset), this.loadedDuration());
    this.player.goto(target, play);
  }

  private create(): void {
    const { target, autoPlay } = this.options;
    const width = Math.max(320, target.clientWidth || 1024);
    const events = this.buffered;
    this.buffered = [];
    // rrweb's defaults keep the replay iframe sandboxed without allow-scripts; nothing here
    // widens that (no UNSAFE_replayCanvas, no plugins).
    const player = new Player({
      target,
      props: {
        events,
        width,
        height: Math.round((width * 9) / 16),
        autoPlay,
        skipInactive: true,
        speedOption: [1, 2, 4, 8],
        showController: true,
        tags: TAG_COLOURS,
      },
    });
    this.player = player;
    const meta = player.getMetaData();
    this.first = meta.startTime;
    this.last = meta.endTime;
    this.loadedAtCreation = this.loaded;
    player.addEventListener('finish', () => {
      if (!this.complete) this.stalledAt = this.loadedDuration();
    });
    this.markCreated();
    this.releaseWaiters();
  }

  private feed(events: eventWithTime[], player: Player): void {
    const replayer = player.getReplayer();
    const lastIndex = events.length - 1;
    for (let i = 0; i < lastIndex; i++) replayer.addEvent(events[i]!);
    player.addEvent(events[lastIndex]!); // also refreshes the controller's total time
    for (const event of events) if (event.timestamp > this.last) this.last = event.timestamp;
    void Promise.resolve().then(() => this.afterFeed());
  }

  private afterFeed(): void {
    if (performance.now() - this.lastRedraw >= REDRAW_EVERY_MS) this.redrawPlayerMarks();
    if (this.stalledAt !== null && this.player) {
      const resumeAt = this.stalledAt;
      this.stalledAt = null;
      this.player.goto(resumeAt, true);
    }
    this.releaseWaiters();
  }

  /** rrweb-player draws its custom-event ticks and inactive stretches once, from the events it
   * was created with; handing it new (equal) props makes it draw them over all loaded events. */
  private redrawPlayerMarks(): void {
    if (!this.player) return;
    this.lastRedraw = performance.now();
    this.inactiveShade = !this.inactiveShade;
    (this.player as unknown as SvelteComponentApi).$set({
      tags: { ...TAG_COLOURS },
      inactiveColor: this.inactiveShade ? '#D4D4D4' : '#d4d4d4',
    });
  }

  private loadedThrough(offset: number): Promise<void> {
    if (this.complete || (this.player && this.loadedDuration() >= offset)) return Promise.resolve();
    return new Promise((release) => this.waiters.push({ offset, release }));
  }

  private releaseWaiters(): void {
    const waiting: Waiter[] = [];
    for (const waiter of this.waiters) {
      if (this.complete || (this.player && this.loadedDuration() >= waiter.offset)) {
        waiter.release();
      } else {
        waiting.push(waiter);
      }
    }
    this.waiters = waiting;
  }
}
