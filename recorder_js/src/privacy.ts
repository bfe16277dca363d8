// The single place that decides whether a value may be recorded (DESIGN.md section 4).
// Snapshot, mutations and observers all ask here; nothing they read bypasses it.

export interface PrivacyOptions {
  /** Extra selector for elements kept as empty boxes of the same size (besides [data-st-block]). */
  blockSelector?: string;
  /** Extra selector for subtrees whose text is masked (besides [data-st-mask]). */
  maskTextSelector?: string;
  /** Extra selector for subtrees whose inputs are not recorded (besides [data-st-ignore]). */
  ignoreSelector?: string;
}

/** Context bits inherited down the tree (plus Block, which applies to one element). */
export const enum Ctx {
  Mask = 1,
  Ignore = 2,
  Style = 4,
  Block = 8,
}

const MASK = 'data-st-mask';
const IGNORE = 'data-st-ignore';
const BLOCK = 'data-st-block';
const CARD_NAME = /cardnumber|card-number|card_number|ccnum|cc-num|cvc|cvv|csc|expiry|exp-date|expdate/i;
const CARD_AUTOCOMPLETE = /(^|\s)(cc-|one-time-code)/i;

let maskSel = '';
let ignoreSel = '';
let blockSel = '';
/** Elements ever seen as type=password stay private after a "show password" toggle. */
const everPassword = new WeakSet<Element>();

export function configure(o: PrivacyOptions): void {
  maskSel = o.maskTextSelector || '';
  ignoreSel = o.ignoreSelector || '';
  blockSel = o.blockSelector || '';
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

/** The inherited context of `node` and its ancestors (for nodes met outside the snapshot walk). */
export function contextOf(node: Node | null): number {
  const el = node && (node.nodeType === 1 ? (node as Element) : node.parentElement);
  if (!el) return 0;
  return (
    (closest(el, MASK, maskSel) ? Ctx.Mask : 0) |
    (closest(el, IGNORE, ignoreSel) ? Ctx.Ignore : 0) |
    (el === node && el.nodeName === 'STYLE' ? Ctx.Style : 0)
  );
}

/** True when a form field's value must never be recorded (no value, no input events, no keys). */
export function isPrivateField(el: Element, ctx: number): boolean {
  if (ctx & Ctx.Ignore || everPassword.has(el)) return true;
  const type = (el as HTMLInputElement).type;
  if (type === 'password') {
    everPassword.add(el);
    return true;
  }
  return (
    type === 'hidden' ||
    type === 'file' ||
    CARD_AUTOCOMPLETE.test(el.getAttribute('autocomplete') || '') ||
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

/** The value of an input, textarea or select as it may be recorded, or null for none at all. */
export function fieldValue(el: Element, ctx: number): string | null {
  if (isPrivateField(el, ctx)) return null;
  const v = (el as HTMLInputElement).value;
  return ctx & Ctx.Mask ? mask(v) : v;
}
