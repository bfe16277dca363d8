// The event schema: rrweb v2 numbering and shapes (checked against @rrweb/types 2.x,
// packages/types/src/index.ts), so rrweb's Replayer replays our events unchanged.
// The one source of these numbers in the recorder; const enums vanish at build time.

export const enum EventType {
  DomContentLoaded = 0,
  Load = 1,
  FullSnapshot = 2,
  IncrementalSnapshot = 3,
  Meta = 4,
  Custom = 5,
  Plugin = 6,
}

export const enum IncrementalSource {
  Mutation = 0,
  MouseMove = 1,
  MouseInteraction = 2,
  Scroll = 3,
  ViewportResize = 4,
  Input = 5,
  TouchMove = 6,
  MediaInteraction = 7,
  StyleSheetRule = 8,
  CanvasMutation = 9,
  Font = 10,
  Log = 11,
  Drag = 12,
  StyleDeclaration = 13,
  Selection = 14,
  AdoptedStyleSheet = 15,
  CustomElement = 16,
}

export const enum MouseInteractions {
  MouseUp = 0,
  MouseDown = 1,
  Click = 2,
  ContextMenu = 3,
  DblClick = 4,
  Focus = 5,
  Blur = 6,
  TouchStart = 7,
  TouchMove_Departed = 8,
  TouchEnd = 9,
  TouchCancel = 10,
}

export const enum NodeType {
  Document = 0,
  DocumentType = 1,
  Element = 2,
  Text = 3,
  CDATA = 4,
  Comment = 5,
}

// ---- serialized nodes (rrweb-snapshot) ----

export type Attributes = { [name: string]: string | number | true | null };

export interface DocumentNode {
  type: NodeType.Document;
  childNodes: SerializedNodeWithId[];
  compatMode?: string;
}
export interface DocumentTypeNode {
  type: NodeType.DocumentType;
  name: string;
  publicId: string;
  systemId: string;
}
export interface ElementNode {
  type: NodeType.Element;
  tagName: string;
  attributes: Attributes;
  childNodes: SerializedNodeWithId[];
  isSVG?: true;
  isShadowHost?: true;
  isShadow?: true;
  /** A custom element defined when serialized: the replayer defines its name too. */
  isCustom?: true;
}
export interface TextNode {
  type: NodeType.Text;
  textContent: string;
  isStyle?: true;
}
export interface CDataNode {
  type: NodeType.CDATA;
  textContent: '';
}
export interface CommentNode {
  type: NodeType.Comment;
  textContent: string;
}
export type SerializedNode =
  | DocumentNode
  | DocumentTypeNode
  | ElementNode
  | TextNode
  | CDataNode
  | CommentNode;
export type SerializedNodeWithId = SerializedNode & {
  id: number;
  /** Id of the frame document the node belongs to (absent in the top document). */
  rootId?: number;
  /** A child of its parent's shadow root. */
  isShadow?: true;
};

// ---- incremental data ----

export interface TextMutation {
  id: number;
  value: string | null;
}
export interface AttributeMutation {
  id: number;
  attributes: { [name: string]: string | null };
}
export interface RemovedNodeMutation {
  parentId: number;
  id: number;
  isShadow?: true;
}
export interface AddedNodeMutation {
  parentId: number;
  nextId: number | null;
  node: SerializedNodeWithId;
}
export interface MutationData {
  source: IncrementalSource.Mutation;
  texts: TextMutation[];
  attributes: AttributeMutation[];
  removes: RemovedNodeMutation[];
  adds: AddedNodeMutation[];
  /** The adds hold a frame's new document (parentId: the iframe). */
  isAttachIframe?: true;
}
export interface MousePosition {
  x: number;
  y: number;
  id: number;
  timeOffset: number;
}
export interface MouseMoveData {
  source: IncrementalSource.MouseMove | IncrementalSource.TouchMove;
  positions: MousePosition[];
}
export interface MouseInteractionData {
  source: IncrementalSource.MouseInteraction;
  type: MouseInteractions;
  id: number;
  x?: number;
  y?: number;
  /** Clicks: the target's viewport box (left, top, width, height), for heatmaps. */
  box?: [number, number, number, number];
}
export interface ScrollData {
  source: IncrementalSource.Scroll;
  id: number;
  x: number;
  y: number;
}
export interface ViewportResizeData {
  source: IncrementalSource.ViewportResize;
  width: number;
  height: number;
}
export interface InputData {
  source: IncrementalSource.Input;
  id: number;
  text: string;
  isChecked: boolean;
}
export const enum MediaInteractions {
  Play = 0,
  Pause = 1,
  Seeked = 2,
  VolumeChange = 3,
  RateChange = 4,
}
export interface MediaInteractionData {
  source: IncrementalSource.MediaInteraction;
  type: MediaInteractions;
  id: number;
  currentTime: number;
  volume: number;
  muted: boolean;
  playbackRate: number;
}
export interface StyleRule {
  rule: string;
  /** A top-level rule's index, or the path to a rule nested in grouping rules (@media...). */
  index?: number | number[];
}
/** A rule change on a sheet: `id` of its <style>/<link>, or `styleId` of a constructed sheet. */
export interface StyleSheetRuleData {
  source: IncrementalSource.StyleSheetRule;
  id?: number;
  styleId?: number;
  adds?: StyleRule[];
  removes?: { index: number | number[] }[];
  replace?: string;
}
/** A property set or removed on the style of the rule at `index` (a path, as in StyleRule). */
export interface StyleDeclarationData {
  source: IncrementalSource.StyleDeclaration;
  id?: number;
  styleId?: number;
  index: number[];
  set?: { property: string; value: string | null; priority?: string };
  remove?: { property: string };
}

/**
 * Canvas pixels (opt-in): rrweb's replayer runs `commands` on the canvas `id`; a bitmap
 * snapshot is a clearRect then a drawImage of the encoded image (rrweb's FPS mode shape).
 */
export interface CanvasMutationData {
  source: IncrementalSource.CanvasMutation;
  id: number;
  /** 0: 2D context. */
  type: 0;
  commands: { property: string; args: unknown[] }[];
}
/** Constructed sheets adopted by a document (`id`: its id) or shadow root (`id`: the host). */
export interface AdoptedStyleSheetData {
  source: IncrementalSource.AdoptedStyleSheet;
  id: number;
  styleIds: number[];
  styles?: { styleId: number; rules: StyleRule[] }[];
}
export type IncrementalData =
  | MediaInteractionData
  | StyleSheetRuleData
  | StyleDeclarationData
  | CanvasMutationData
  | AdoptedStyleSheetData
  | MutationData
  | MouseMoveData
  | MouseInteractionData
  | ScrollData
  | ViewportResizeData
  | InputData;

// ---- events ----

export interface MetaData {
  href: string;
  width: number;
  height: number;
}
export interface FullSnapshotData {
  node: SerializedNodeWithId;
  initialOffset: { top: number; left: number };
}
export interface CustomData<T = unknown> {
  tag: string;
  payload: T;
}
/** The `client` Custom event payload, sent once per page after the full snapshot. */
export interface ClientInfo {
  language: string;
  timeZone: string;
  screen: { width: number; height: number };
  devicePixelRatio: number;
  /** The page's referrer (secret parameters redacted), when it has one. */
  referrer?: string;
  /** Sent by earlier recorders; the collector now reads the request's User-Agent header. */
  userAgent?: string;
  browser?: string;
  os?: string;
}

export type Event =
  | { type: EventType.Meta; data: MetaData }
  | { type: EventType.FullSnapshot; data: FullSnapshotData }
  | { type: EventType.IncrementalSnapshot; data: IncrementalData }
  | { type: EventType.Custom; data: CustomData };

/** An rrweb `eventWithTime`: every event carries `timestamp` (ms since the Unix epoch). */
export type EventWithTime = Event & { timestamp: number };

/** The body of one `POST /v1/ingest` (docs/protocol.md). */
export interface Envelope {
  v: 1;
  session: string;
  window: string;
  seq: number;
  events: EventWithTime[];
}
