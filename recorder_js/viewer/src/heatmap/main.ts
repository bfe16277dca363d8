// The heatmap page: the page's latest snapshot (rendered script-free by the collector, in a
// frame without scripts), the click heatmap on a canvas over it, a scroll map beside it, and
// the click insights below.
import { el } from '../dom';
import { drawHeat, elementPoints, type WeightedPoint } from './heat';
import type { ClickHeatmap, ClickInsights, ElementClicks, ScrollMap } from './types';

const DEFAULT_WIDTH = 1280;
const MAX_HEIGHT = 20_000;
const RADIUS = 18;
type Mode = 'element' | 'page';

export interface HeatmapHook {
  ready: Promise<void>;
  mode(): Mode;
  setMode(mode: Mode): void;
  drawnPoints(): WeightedPoint[];
  missingElements(): string[];
}

declare global {
  interface Window {
    sessiontapeHeatmap?: HeatmapHook;
  }
}

async function json<T>(url: string): Promise<T> {
  const answer = await fetch(url, { credentials: 'same-origin' });
  if (!answer.ok) throw new Error(`${answer.status} ${answer.statusText}`);
  return (await answer.json()) as T;
}

function shareColour(share: number): string {
  const hue = Math.round(240 * (1 - share)); // blue (few saw it) to red (everyone did)
  return `hsl(${hue}, 85%, 55%)`;
}

function drawScrollMap(canvas: HTMLCanvasElement, map: ScrollMap, scale: number): void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  for (const depth of map.depths) {
    ctx.fillStyle = shareColour(depth.share);
    ctx.fillRect(0, depth.depth_px * scale, canvas.width, Math.ceil(map.step_px * scale));
  }
}

function scrollLegend(map: ScrollMap): HTMLElement {
  const marks = [0.75, 0.5, 0.25].map((share) => {
    const deepest = map.depths.filter((d) => d.share >= share).pop();
    const text = deepest ? `${share * 100}% saw ${deepest.depth_px} px` : `under ${share * 100}% at the top`;
    return el('li', { text });
  });
  return el('ul', { className: 'scroll-legend' }, marks);
}

function insightList(title: string, kind: string, items: ElementClicks[], unit: string): HTMLElement {
  const rows = items.map((item) =>
    el('li', {}, [
      el('code', { text: item.target || '(unknown element)' }),
      el('span', { className: 'count', text: `${item.clicks} ${unit}, ${item.sessions} sessions` }),
      ...item.examples.map((example, i) =>
        el('a', {
          className: 'example',
          text: `example ${i + 1}`,
          attrs: { href: `/sessions/${example.session_id}?at=${example.at}` },
        }),
      ),
    ]),
  );
  const body = rows.length ? el('ol', {}, rows) : el('p', { className: 'empty', text: 'None.' });
  return el('section', { className: `insights insights-${kind}` }, [el('h2', { text: title }), body]);
}

function start(root: HTMLElement): HeatmapHook {
  let mode: Mode = 'element';
  let drawn: WeightedPoint[] = [];
  let missing: string[] = [];
  let redraw = (): void => undefined;

  const summary = el('p', { className: 'heat-summary', text: 'Loading…' });
  const byElement = el('button', { text: 'By element', attrs: { type: 'button', 'aria-pressed': 'true' } });
  const byPage = el('button', { text: 'By page position', attrs: { type: 'button', 'aria-pressed': 'false' } });
  const frame = el('iframe', { attrs: { sandbox: 'allow-same-origin', title: 'Page snapshot', scrolling: 'no' } });
  const heat = el('canvas', { className: 'heat-layer' });
  const stage = el('div', { className: 'heat-stage' }, [frame, heat]);
  const scroll = el('canvas', { className: 'scroll-map' });
  const holder = el('div', { className: 'heat-holder' }, [stage, scroll]);
  const lists = el('div', { className: 'insight-lists' });
  root.append(summary, el('div', { className: 'heat-modes' }, [byElement, byPage]), holder, lists);

  const setMode = (next: Mode): void => {
    mode = next;
    byElement.setAttribute('aria-pressed', String(next === 'element'));
    byPage.setAttribute('aria-pressed', String(next === 'page'));
    redraw();
  };
  byElement.addEventListener('click', () => setMode('element'));
  byPage.addEventListener('click', () => setMode('page'));

  const data = root.dataset;
  const clicks = json<ClickHeatmap>(data.clicksUrl ?? '');
  const scrollMap = json<ScrollMap>(data.scrollUrl ?? '');
  json<ClickInsights>(data.insightsUrl ?? '').then(
    (insights) =>
      lists.replaceChildren(
        insightList('Most clicked', 'top', insights.top_elements, 'clicks'),
        insightList('Rage clicks', 'rage', insights.rage_clicks, 'bursts'),
        insightList('Dead clicks', 'dead', insights.dead_clicks, 'clicks'),
        insightList('Clicked but not clickable', 'not-clickable', insights.not_clickable, 'clicks'),
      ),
    (error: unknown) => lists.replaceChildren(el('p', { className: 'viewer-error', text: String(error) })),
  );

  const ready = clicks.then(async (map) => {
    summary.textContent = `${map.clicks} clicks in ${map.sessions} sessions`;
    if (!map.snapshot) {
      summary.textContent += ' · no snapshot of this page was recorded';
      return;
    }
    const width = map.snapshot.viewport_width ?? DEFAULT_WIDTH;
    frame.width = String(width);
    const loaded = new Promise<void>((resolve) => frame.addEventListener('load', () => resolve(), { once: true }));
    frame.src = `/heatmaps/snapshot/${map.snapshot.session_id}?at=${map.snapshot.last_at ?? map.snapshot.at}`;
    await loaded;
    const doc = frame.contentDocument;
    if (!doc) return;
    const height = Math.min(MAX_HEIGHT, doc.documentElement.scrollHeight);
    frame.height = String(height);
    heat.width = width;
    heat.height = height;
    const scale = Math.min(1, (holder.clientWidth - 40) / width);
    stage.style.width = `${width}px`;
    stage.style.height = `${height}px`;
    stage.style.transform = `scale(${scale})`;
    holder.style.height = `${Math.ceil(height * scale)}px`;
    scroll.width = 24;
    scroll.height = Math.ceil(height * scale);
    scrollMap.then(
      (sm) => {
        drawScrollMap(scroll, sm, scale);
        holder.after(scrollLegend(sm));
      },
      () => undefined,
    );

    redraw = () => {
      missing = [];
      if (mode === 'page') {
        drawn = map.points.map((p) => ({ x: p.x, y: p.y, weight: p.clicks }));
      } else {
        drawn = [];
        for (const element of map.elements) {
          let target: Element | null = null;
          try {
            target = element.target ? doc.querySelector(element.target) : null;
          } catch {
            target = null; // a path this document cannot parse
          }
          if (!target) {
            missing.push(element.target);
            continue;
          }
          const r = target.getBoundingClientRect();
          drawn.push(...elementPoints({ left: r.left, top: r.top, width: r.width, height: r.height }, element.offsets, element.clicks));
        }
      }
      drawHeat(heat, drawn, RADIUS);
    };
    redraw();
  });
  ready.catch((error: unknown) => {
    summary.textContent = `The heatmap could not be loaded (${String(error)}).`;
  });

  return Object.freeze({
    ready,
    mode: () => mode,
    setMode,
    drawnPoints: () => drawn.slice(),
    missingElements: () => missing.slice(),
  });
}

const root = document.getElementById('heatmap-view');
if (root) window.sessiontapeHeatmap = start(root);
