// The marker strip right under the player: one button per moment, placed by time over the whole
// session, with the downloaded part and the play head drawn behind them.
import { el, formatTime } from './dom';
import { seekTarget, type Moment } from './timeline';

export type SeekHandler = (offset: number) => void;

const LEGEND: [string, string][] = [
  ['page', 'page change'],
  ['click', 'click'],
  ['rage', 'rage click'],
  ['dead', 'dead click'],
  ['typed', 'typed field'],
  ['gap', 'recorder gap'],
];

export class MarkerStrip {
  readonly element: HTMLElement;
  private readonly track: HTMLElement;
  private readonly loadedBar: HTMLElement;
  private readonly head: HTMLElement;
  private duration = 0;

  constructor(private readonly onSeek: SeekHandler) {
    this.loadedBar = el('div', { className: 'strip-loaded' });
    this.head = el('div', { className: 'strip-head' });
    this.track = el('div', { className: 'strip-track' }, [this.loadedBar, this.head]);
    const legend = el(
      'ul',
      { className: 'strip-legend' },
      LEGEND.map(([kind, text]) =>
        el('li', {}, [el('span', { className: `swatch marker-${kind}` }), document.createTextNode(text)]),
      ),
    );
    this.element = el('div', { className: 'marker-strip', attrs: { 'aria-label': 'Timeline' } }, [
      this.track,
      legend,
    ]);
  }

  render(all: Moment[], duration: number): void {
    this.duration = Math.max(1, duration, ...all.map((m) => m.offset));
    for (const old of Array.from(this.track.querySelectorAll('.marker'))) old.remove();
    for (const moment of all) {
      const classes = ['marker', `marker-${moment.kind}`, ...moment.flags.map((f) => `marker-${f}`)];
      const title = `${formatTime(moment.offset)} ${moment.label}`;
      const button = el('button', {
        className: classes.join(' '),
        attrs: { type: 'button', title, 'aria-label': title, 'data-offset': String(moment.offset) },
      });
      button.style.left = `${this.percent(moment.offset)}%`;
      button.addEventListener('click', () => this.onSeek(seekTarget(moment.kind, moment.offset)));
      this.track.appendChild(button);
    }
  }

  update(current: number, loaded: number): void {
    if (!this.duration) return;
    this.head.style.left = `${this.percent(current)}%`;
    this.loadedBar.style.width = `${this.percent(loaded)}%`;
  }

  private percent(offset: number): number {
    return Math.min(100, Math.max(0, (offset / this.duration) * 100));
  }
}
