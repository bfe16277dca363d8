// The insights API's answers, as the heatmap page reads them (sdk/sessiontape/insight_types.py).

export interface HeatPoint {
  x: number;
  y: number;
  clicks: number;
}

export interface ElementHeat {
  target: string;
  clicks: number;
  sessions: number;
  /** Fractions (0..1) of the element's box. */
  offsets: HeatPoint[];
}

export interface SnapshotRef {
  session_id: string;
  at: number;
  /** The end of that page view: the page as the visitor left it. */
  last_at?: number;
  viewport_width: number | null;
}

export interface ClickHeatmap {
  clicks: number;
  sessions: number;
  cell_px: number;
  elements: ElementHeat[];
  /** Document coordinates (px). */
  points: HeatPoint[];
  snapshot: SnapshotRef | null;
}

export interface DepthShare {
  depth_px: number;
  sessions: number;
  share: number;
}

export interface ScrollMap {
  sessions: number;
  step_px: number;
  depths: DepthShare[];
}

export interface ClickExample {
  session_id: string;
  at: number;
}

export interface ElementClicks {
  target: string;
  clicks: number;
  sessions: number;
  examples: ClickExample[];
}

export interface ClickInsights {
  clicks: number;
  sessions: number;
  top_elements: ElementClicks[];
  rage_clicks: ElementClicks[];
  dead_clicks: ElementClicks[];
  not_clickable: ElementClicks[];
}
