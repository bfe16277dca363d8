// The session's timeline JSON (pages, clicks, typed fields, gaps, client) and the moments the
// markers and the side panel show, in player time (ms from the session's start).

export interface ClientInfo {
  browser: string | null;
  os: string | null;
  language: string | null;
  time_zone: string | null;
  screen: { width: number; height: number } | null;
  referrer: string | null;
  user_agent: string | null;
}

export interface PageVisit {
  at: number;
  url: string;
}

export interface Click {
  at: number;
  x: number;
  y: number;
  target: string | null;
  text: string | null;
  rage: boolean;
  dead: boolean;
}

export interface TypedField {
  at: number;
  target: string | null;
  value: string | null;
  checked: boolean | null;
}

export interface Gap {
  at: number;
  dropped: number;
}

export interface Timeline {
  id: string;
  started_at: number;
  ended_at: number;
  duration_ms: number;
  client: ClientInfo | null;
  pages: PageVisit[];
  clicks: Click[];
  typed: TypedField[];
  gaps: Gap[];
}

export type MomentKind = 'page' | 'click' | 'typed' | 'gap';

/** A page change is a Meta event with its snapshot (or a route's mutations) just after it: going
 * to a page seeks this much past its time, so the new page is what shows. */
export const PAGE_SETTLE_MS = 50;

export function seekTarget(kind: MomentKind, offset: number): number {
  return kind === 'page' ? offset + PAGE_SETTLE_MS : offset;
}

export interface Moment {
  kind: MomentKind;
  offset: number;
  /** Extra qualities shown as classes and badges: 'rage', 'dead'. */
  flags: string[];
  label: string;
}

export async function fetchTimeline(url: string): Promise<Timeline> {
  const response = await fetch(url, {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  });
  if (!response.ok) throw new Error(`timeline: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<Timeline>;
  return {
    id: String(body.id ?? ''),
    started_at: Number(body.started_at ?? 0),
    ended_at: Number(body.ended_at ?? 0),
    duration_ms: Number(body.duration_ms ?? 0),
    client: body.client ?? null,
    pages: body.pages ?? [],
    clicks: body.clicks ?? [],
    typed: body.typed ?? [],
    gaps: body.gaps ?? [],
  };
}

export function clickFlags(click: Click): string[] {
  const flags: string[] = [];
  if (click.rage) flags.push('rage');
  if (click.dead) flags.push('dead');
  return flags;
}

export function typedSummary(field: TypedField): string {
  if (field.checked !== null && field.checked !== undefined) {
    return field.checked ? 'checked' : 'unchecked';
  }
  return field.value ?? '';
}

/** Every marker of the timeline, in time order. */
export function moments(timeline: Timeline): Moment[] {
  const at = (ms: number): number => Math.max(0, ms - timeline.started_at);
  const target = (name: string | null): string => name ?? 'element';
  const all: Moment[] = [
    ...timeline.pages.map((p) => ({
      kind: 'page' as const,
      offset: at(p.at),
      flags: [],
      label: `Page: ${p.url}`,
    })),
    ...timeline.clicks.map((c) => ({
      kind: 'click' as const,
      offset: at(c.at),
      flags: clickFlags(c),
      label: [...clickFlags(c).map((f) => `${f} click`), 'Click', target(c.target)].join(' '),
    })),
    ...timeline.typed.map((t) => ({
      kind: 'typed' as const,
      offset: at(t.at),
      flags: [],
      label: `Typed in ${target(t.target)}`,
    })),
    ...timeline.gaps.map((g) => ({
      kind: 'gap' as const,
      offset: at(g.at),
      flags: [],
      label: `Recorder gap: ${g.dropped} events dropped`,
    })),
  ];
  return all.sort((a, b) => a.offset - b.offset);
}
