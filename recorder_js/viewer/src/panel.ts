// The side panel: client info, then pages, clicks and typed fields; each item seeks the player.
import { el, formatTime } from './dom';
import {
  clickFlags,
  seekTarget,
  typedSummary,
  type ClientInfo,
  type MomentKind,
  type Timeline,
} from './timeline';
import type { SeekHandler } from './markers';

function clientList(client: ClientInfo | null): HTMLElement {
  if (!client) return el('p', { className: 'empty', text: 'No client info was recorded.' });
  const screen = client.screen ? `${client.screen.width} × ${client.screen.height}` : null;
  const rows: [string, string | null][] = [
    ['Browser', client.browser],
    ['OS', client.os],
    ['Language', client.language],
    ['Time zone', client.time_zone],
    ['Screen', screen],
    ['Referrer', client.referrer],
  ];
  return el(
    'dl',
    { className: 'client-info' },
    rows.flatMap(([name, value]) => [el('dt', { text: name }), el('dd', { text: value || '—' })]),
  );
}

function item(offset: number, kind: MomentKind, parts: Node[], onSeek: SeekHandler): HTMLElement {
  const button = el(
    'button',
    { className: `item item-${kind}`, attrs: { type: 'button', 'data-offset': String(offset) } },
    [el('span', { className: 'time', text: formatTime(offset) }), ...parts],
  );
  button.addEventListener('click', () => onSeek(seekTarget(kind, offset)));
  return el('li', {}, [button]);
}

function section(title: string, kind: string, items: HTMLElement[]): HTMLElement {
  const body = items.length
    ? el('ol', { className: 'items' }, items)
    : el('p', { className: 'empty', text: 'None.' });
  return el('section', { className: `panel-section panel-${kind}` }, [
    el('h2', { text: `${title} (${items.length})` }),
    body,
  ]);
}

export function renderPanel(panel: HTMLElement, timeline: Timeline, onSeek: SeekHandler): void {
  const at = (ms: number): number => Math.max(0, ms - timeline.started_at);
  const label = (text: string | null, className = 'label'): HTMLElement =>
    el('span', { className, text: text ?? '' });
  const pages = timeline.pages.map((p) => item(at(p.at), 'page', [label(p.url, 'label url')], onSeek));
  const clicks = timeline.clicks.map((c) =>
    item(
      at(c.at),
      'click',
      [
        label(c.target),
        label(c.text ? `“${c.text}”` : '', 'label text'),
        ...clickFlags(c).map((flag) => el('span', { className: `badge badge-${flag}`, text: flag })),
      ],
      onSeek,
    ),
  );
  const typed = timeline.typed.map((t) =>
    item(at(t.at), 'typed', [label(t.target), label(typedSummary(t), 'label value')], onSeek),
  );
  panel.replaceChildren(
    el('section', { className: 'panel-section panel-client' }, [
      el('h2', { text: 'Client' }),
      clientList(timeline.client),
    ]),
    section('Pages', 'pages', pages),
    section('Clicks', 'clicks', clicks),
    section('Typed fields', 'typed', typed),
  );
}
