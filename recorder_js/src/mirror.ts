// The one owner of node <-> id. Ids start at 1 (the document) and are never reused while the
// page lives; a node keeps its id when it moves, as rrweb's Mirror does.

let ids = new WeakMap<Node, number>();
let next = 1;

/** Nodes whose children are never serialized (script, blocked elements, textarea with value). */
let opaque = new WeakSet<Node>();
/** Elements recorded as empty boxes (data-st-block): their attributes are not updated either. */
let blocked = new WeakSet<Node>();

/** Children of `n` are not recorded; a blocked element's attributes are not updated either. */
export function hideInside(n: Node, block?: boolean): void {
  opaque.add(n);
  if (block) blocked.add(n);
}

export function isOpaque(n: Node): boolean {
  return opaque.has(n);
}

export function isBlocked(n: Node): boolean {
  return blocked.has(n);
}

export function getId(n: Node | null | undefined): number {
  return (n && ids.get(n)) || 0;
}

export function assignId(n: Node): number {
  let id = ids.get(n);
  if (!id) ids.set(n, (id = next++));
  return id;
}

/** Gives `n` the id of another node (a shadow root answers with its host's id, as rrweb does). */
export function alias(n: Node, id: number): void {
  ids.set(n, id);
}

/** The id of `n`, or of its nearest serialized ancestor (events on unrecorded nodes), or -1. */
export function closestId(n: Node | null): number {
  for (; n; n = n.parentNode) {
    const id = ids.get(n);
    if (id) return id;
  }
  return -1;
}

export function reset(): void {
  ids = new WeakMap();
  opaque = new WeakSet();
  blocked = new WeakSet();
  next = 1;
}
