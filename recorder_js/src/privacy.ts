// The single place that decides whether a value may be recorded, and whether the visitor opted
// out (DESIGN.md section 4). Snapshot, mutations, observers and transport all ask here.

export interface PrivacyOptions {
  /** Extra selector list for elements kept as empty boxes of the same size (besides [data-st-block]). */
  blockSelector?: string | string[];
  /** Extra selector list for subtrees whose text is masked (besides [data-st-mask]). */
  maskTextSelector?: string | string[];
  /** Extra selector list for subtrees whose inputs are not recorded (besides [data-st-ignore]). */
  ignoreSelector?: string | string[];
  /** Mask every text and text attribute of the page, as if `<html>` had data-st-mask. */
  maskAllText?: boolean;
  /** Record every field value as same-length placeholders (private fields stay unrecorded). */
  maskAllInputs?: boolean;
  /** Treat Global Privacy Control as an opt-out (default true). */
  respectGPC?: boolean;
  /** Name of the opt-out cookie (default `sessiontape_optout`). */
  optOutCookie?: string;
}

export type OptOutOptions = Pick<PrivacyOptions, 'respectGPC' | 'optOutCookie'>;

/** Context bits inherited down the tree. */
export const enum Ctx {
  Mask = 1,
  Ignore = 2,
  Style = 4,
  Block = 8,
}

const MASK = 'data-st-mask';
const IGNORE = 'data-st-ignore';
const BLOCK = 'data-st-block';
const COOKIE = 'sessiontape_optout';
const CARD_NAME =
  /card.?num|cc.?num|cc.?exp|cvc|cvv|csc|expiry|exp.?date|security.?code|one.?time|(^|[^a-z])otp([^a-z]|$)/i;
const CARD_AUTOCOMPLETE = /(^|\s)(cc-|one-time-code)/i;
/** Password-like name, id or autocomplete (current-password): private even if shown as text. */
const PASSWORD_NAME = /passw(or)?d|pwd/i;
/** Attributes that show text to the visitor: masked inside masked subtrees. */
const TEXT_ATTRS = /^(placeholder|title|alt|aria-label|aria-description|label|value)$/;

let maskSel = '';
let ignoreSel = '';
let blockSel = '';
let maskAllInputs = false;
let optOut: OptOutOptions = {};
/** Elements ever seen as type=password stay private after a "show password" toggle. */
const everPassword = new WeakSet<Element>();

/**
 * Remembers password fields whose type changes (a "show password" toggle), from the moment the
 * script loads: a toggle made before recording starts is caught too.
 */
function watchTypes(doc: Document): void {
  try {
    new MutationObserver((records) => {
      for (const r of records) if (r.oldValue === 'password') everPassword.add(r.target as Element);
    }).observe(doc, {
      subtree: true,
      attributes: true,
      attributeFilter: ['type'],
      attributeOldValue: true,
    });
  } catch {
    /* no DOM */
  }
}
if (typeof document !== 'undefined') watchTypes(document);

function selectorList(s: string | string[] | undefined): string {
  return (Array.isArray(s) ? s.join(',') : s) || '';
}

export function configure(o: PrivacyOptions): void {
  maskSel = o.maskAllText ? '*' : selectorList(o.maskTextSelector);
  ignoreSel = selectorList(o.ignoreSelector);
  blockSel = selectorList(o.blockSelector);
  maskAllInputs = !!o.maskAllInputs;
  optOut = { respectGPC: o.respectGPC, optOutCookie: o.optOutCookie };
}

/** The opt-out cookie's name (given, else the one the recorder was started with). */
export function cookieName(o: OptOutOptions = {}): string {
  return o.optOutCookie || optOut.optOutCookie || COOKIE;
}

/**
 * True when the visitor opted out: the cookie is set, or the browser sends Global Privacy Control
 * (unless respectGPC is false). Read fresh every time: another tab can set the cookie any moment.
 */
export function optedOut(o: OptOutOptions = {}): boolean {
  try {
    if (('; ' + document.cookie).indexOf('; ' + cookieName(o) + '=1') >= 0) return true;
    const gpc = o.respectGPC ?? optOut.respectGPC;
    return gpc !== false && (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl === true;
  } catch {
    return true;
  }
}

/** Sets (for a year) or clears the opt-out cookie. */
export function writeCookie(on: boolean, o: OptOutOptions = {}): void {
  try {
    document.cookie =
      cookieName(o) + (on ? '=1; max-age=31536000' : '=; max-age=0') + '; path=/; SameSite=Lax';
  } catch {
    /* cookies blocked */
  }
}

/** The context bit an attribute name sets (data-st-mask / -ignore / -block), else 0. */
export function attrFlag(name: string): number {
  return name === MASK ? Ctx.Mask : name === IGNORE ? Ctx.Ignore : name === BLOCK ? Ctx.Block : 0;
}

function matches(el: Element, sel: string): boolean {
  try {
    return !!sel && el.matches(sel);
  } catch {
    return false;
  }
}

/** Bits set by the configured selectors on this element itself (0 without custom selectors). */
export function selectorFlags(el: Element): number {
  if (!(maskSel || ignoreSel || blockSel)) return 0;
  return (
    (matches(el, maskSel) ? Ctx.Mask : 0) |
    (matches(el, ignoreSel) ? Ctx.Ignore : 0) |
    (matches(el, blockSel) ? Ctx.Block : 0)
  );
}

function closest(el: Element, attr: string, sel: string): boolean {
  try {
    return !!el.closest('[' + attr + ']' + (sel ? ',' + sel : ''));
  } catch {
    return !!el.closest('[' + attr + ']');
  }
}

/** The element hosting `el`'s tree: a shadow root's host, or a same-origin frame's element. */
function hostOf(el: Element): Element | null {
  const root = el.getRootNode() as { host?: Element; defaultView?: Window | null };
  try {
    return root.host || (root.defaultView && root.defaultView.frameElement) || null;
  } catch {
    return null;
  }
}

/**
 * The context of `node` from itself and its ancestors, across shadow roots and frames (for nodes
 * met outside the snapshot walk). Block: `node` is, or is inside, a blocked element.
 */
export function contextOf(node: Node | null): number {
  let el = node && (node.nodeType === 1 ? (node as Element) : node.parentElement);
  let ctx = el && el === node && el.nodeName === 'STYLE' ? Ctx.Style : 0;
  for (; el; el = hostOf(el))
    ctx |=
      (closest(el, MASK, maskSel) ? Ctx.Mask : 0) |
      (closest(el, IGNORE, ignoreSel) ? Ctx.Ignore : 0) |
      (closest(el, BLOCK, blockSel) ? Ctx.Block : 0);
  return ctx;
}

/** True when a form field's value must never be recorded (no value, no input events, no keys). */
export function isPrivateField(el: Element, ctx: number): boolean {
  if (ctx & (Ctx.Ignore | Ctx.Block) || everPassword.has(el)) return true;
  const type = (el as HTMLInputElement).type;
  const ac = el.getAttribute('autocomplete') || '';
  if (type === 'password' || PASSWORD_NAME.test([el.getAttribute('name'), el.id, ac].join(' '))) {
    everPassword.add(el);
    return true;
  }
  return (
    type === 'hidden' ||
    type === 'file' ||
    CARD_AUTOCOMPLETE.test(ac) ||
    CARD_NAME.test(el.getAttribute('name') || '') ||
    CARD_NAME.test(el.id)
  );
}

/** Same-length placeholder: every non-whitespace character becomes `*`. */
export function mask(text: string): string {
  return text.replace(/\S/g, '*');
}

/** Text of a text node as it may be recorded. */
export function textValue(text: string, ctx: number): string {
  return ctx & Ctx.Mask ? mask(text) : text;
}

/** Masks, in place, the attributes that show text (placeholder, title, alt...) of a masked element. */
export function maskAttributes(attributes: { [name: string]: unknown }, ctx: number): void {
  if (ctx & Ctx.Mask)
    for (const name in attributes)
      if (TEXT_ATTRS.test(name)) attributes[name] = mask(String(attributes[name]));
}

/** An attribute value set later, as it may be recorded (text attributes masked in masked trees). */
export function attrText(name: string, value: string, ctx: number): string {
  return ctx & Ctx.Mask && TEXT_ATTRS.test(name) ? mask(value) : value;
}

/** The value of an input, textarea or select as it may be recorded, or null for none at all. */
export function fieldValue(el: Element, ctx: number): string | null {
  if (isPrivateField(el, ctx)) return null;
  const v = (el as HTMLInputElement).value;
  return ctx & Ctx.Mask || maskAllInputs ? mask(v) : v;
}
