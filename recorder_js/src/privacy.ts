// The single place that decides whether a value may be recorded, and whether the visitor opted
// out (DESIGN.md section 4). Snapshot, mutations, observers and transport all ask here.

import { rootOf } from './builtins.js';
import { secretKind } from './classify.js';
import { keepPrivate, settle, wasPrivate } from './remember.js';
import { redactSecrets, redactTypedNumbers } from './secrets.js';

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
/** Attributes that show text to the visitor: masked inside masked subtrees. */
const TEXT_ATTRS = /^(placeholder|title|alt|aria-label|aria-description|label|value)$/;
/** All a private field (or an option of a private select) keeps: what replay needs for layout. */
const LAYOUT_ATTRS =
  /^(type|id|class|name|style|size|cols|rows|width|height|maxlength|minlength|multiple|disabled|readonly|hidden|dir|data-st-(mask|ignore|block))$/;
/** Never recorded: event handlers (any case), inline frame markup, CSP nonces. */
const NEVER_ATTRS = /^(on|srcdoc$|nonce$)/i;
/** Script URLs, tested once whitespace and control characters are gone (as browsers drop them). */
const SCRIPT_URL = /(^|[;,])(java|vb)script:/i;
const CONTROLS = /[\x00-\x20]+/g;
const FRAME_TAGS = /^(iframe|frame|object|embed)$/;
/** <meta> names whose `content` is a credential (csrf-token, api-key, nonce...). */
const META_SECRET =
  /token|secret|nonce|csrf|xsrf|passw|credential|bearer|jwt|signature|(^|[^a-z])(api.?key|key|auth|sig|session|sid)([^a-z]|$)/i;
const EDITABLE = '[contenteditable]:not([contenteditable="false" i])';

let maskSel = '';
let ignoreSel = '';
let blockSel = '';
let maskAllInputs = false;
let optOut: OptOutOptions = {};

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

/** True when `cookies` (document.cookie) holds `name` = 1, true or yes (any case, quoted or not). */
function cookieSaysOptOut(cookies: string, name: string): boolean {
  for (const pair of cookies.split(';')) {
    const at = pair.indexOf('=');
    if (at < 0 || pair.slice(0, at).trim() !== name) continue;
    let value = pair.slice(at + 1);
    try {
      value = decodeURIComponent(value);
    } catch {
      /* kept as written */
    }
    if (/^\s*"?\s*(1|true|yes)\s*"?\s*$/i.test(value)) return true;
  }
  return false;
}

/**
 * True when the visitor opted out: the cookie is set, or the browser sends Global Privacy Control
 * (unless respectGPC is false). Read fresh every time: another tab can set the cookie any moment.
 */
export function optedOut(o: OptOutOptions = {}): boolean {
  try {
    if (cookieSaysOptOut(document.cookie, cookieName(o))) return true;
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

function closest(el: Element, sel: string): boolean {
  try {
    return !!el.closest(sel);
  } catch {
    return false;
  }
}

/** True when `el` is, or is inside, an element with `attr` or matching the selector list `sel`. */
function within(el: Element, attr: string, sel: string): boolean {
  try {
    return !!el.closest('[' + attr + ']' + (sel ? ',' + sel : ''));
  } catch {
    return !!el.closest('[' + attr + ']');
  }
}

function flagsAbove(el: Element): number {
  return (
    (within(el, MASK, maskSel) ? Ctx.Mask : 0) |
    (within(el, IGNORE, ignoreSel) ? Ctx.Ignore : 0) |
    (within(el, BLOCK, blockSel) ? Ctx.Block : 0)
  );
}

/** The node hosting the tree `n` is in: a shadow root's host, or a same-origin frame's element. */
function hostOf(n: Node): Node | null {
  const root = rootOf(n) as { host?: Element; defaultView?: Window | null };
  try {
    return root.host || (root.defaultView && root.defaultView.frameElement) || null;
  } catch {
    return null;
  }
}

/**
 * The context of `node` from itself and its ancestors, across shadow roots and frames (for nodes
 * met outside the snapshot walk); `node` may be a document or a shadow root. Block: `node` is, or
 * is inside, a blocked element, or an editable region of ignored markup (nothing of it recorded).
 */
export function contextOf(node: Node | null): number {
  let ctx = node && node.nodeName === 'STYLE' ? Ctx.Style : 0;
  for (let n = node; n; n = hostOf(n)) {
    const el = n.nodeType === 1 ? (n as Element) : n.parentElement;
    if (el) ctx |= flagsAbove(el);
  }
  const el = node && (node.nodeType === 1 ? (node as Element) : node.parentElement);
  if (ctx & Ctx.Ignore && el && closest(el, EDITABLE)) ctx |= Ctx.Block;
  return ctx;
}

function isEditable(el: Element): boolean {
  const v = el.getAttribute('contenteditable');
  return v !== null && v.toLowerCase() !== 'false';
}

/**
 * True for an editable region (contenteditable) of ignored markup, met by the snapshot walk with
 * `inherited` context and its own `flags`: recorded like a private field, without its content.
 */
export function ignoredEditable(el: Element, inherited: number, flags: number): boolean {
  return !!(flags & Ctx.Ignore) && (inherited & Ctx.Ignore ? isEditable(el) : closest(el, EDITABLE));
}

/** A field tied by form="..." to an ignored (or blocked) form it is not inside. */
function inIgnoredForm(el: Element): boolean {
  const form = (el as HTMLInputElement).form;
  return !!form && !form.contains(el) && !!(contextOf(form) & (Ctx.Ignore | Ctx.Block));
}

/**
 * True when a form field's value must never be recorded (no value, no input events, no keys):
 * inside ignored or blocked markup, password, hidden and file inputs, what the classifier calls a
 * secret, a field of an ignored form, and any field that was ever private before.
 */
export function isPrivateField(el: Element, ctx: number): boolean {
  settle();
  if (wasPrivate(el)) return true;
  const type = (el as HTMLInputElement).type;
  const secret =
    ctx & (Ctx.Ignore | Ctx.Block) ||
    type === 'password' ||
    type === 'hidden' ||
    type === 'file' ||
    secretKind(el) ||
    inIgnoredForm(el);
  if (secret) keepPrivate(el);
  return !!secret;
}

/**
 * True when `el` keeps only layout attributes (LAYOUT_ATTRS): a private field, an option of a
 * private select, an editable region of ignored markup.
 */
export function layoutOnly(el: Element, ctx: number): boolean {
  const tag = el.nodeName;
  if (tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT') return isPrivateField(el, ctx);
  if (tag === 'OPTION') {
    const select = el.closest('select');
    return !!select && isPrivateField(select, ctx);
  }
  return !!(ctx & Ctx.Ignore) && closest(el, EDITABLE);
}

/** Drops, in place, every attribute but the layout ones (see layoutOnly). */
export function keepLayout(attributes: { [name: string]: unknown }): void {
  for (const name in attributes) if (!LAYOUT_ATTRS.test(name)) delete attributes[name];
}

/** True for an attribute name a layout-only element keeps. */
export function keepsAttr(name: string): boolean {
  return LAYOUT_ATTRS.test(name);
}

function metaSecret(el: Element): boolean {
  const equiv = el.getAttribute('http-equiv') || '';
  const names = [el.getAttribute('name'), el.getAttribute('property'), el.getAttribute('itemprop')];
  return (
    /refresh|set-cookie/i.test(equiv) ||
    META_SECRET.test((names.join(' ') + ' ' + equiv).replace(/([a-z])([A-Z])/g, '$1 $2'))
  );
}

/**
 * True for an attribute never recorded, whatever the element: on* handlers, srcdoc, nonce, any
 * javascript: or vbscript: URL, data: URLs loaded by frames, objects and embeds, and the content
 * of a <meta> named like a credential.
 */
export function dropAttr(el: Element, name: string, value: string): boolean {
  if (NEVER_ATTRS.test(name)) return true;
  if (name !== 'style' && value.indexOf(':') >= 0) {
    const v = value.replace(CONTROLS, '');
    if (SCRIPT_URL.test(v)) return true;
    if ((name === 'src' || name === 'data') && /^data:/i.test(v) && FRAME_TAGS.test(el.localName))
      return true;
  }
  return name === 'content' && el.localName === 'meta' && metaSecret(el);
}

/** Same-length placeholder: every non-whitespace character becomes `*`. */
export function mask(text: string): string {
  return text.replace(/\S/g, '*');
}

/** Text of a text node or comment as it may be recorded (card numbers and IBANs masked). */
export function textValue(text: string, ctx: number): string {
  return ctx & Ctx.Mask ? mask(text) : redactSecrets(text);
}

/** An attribute value as it may be recorded: text attributes masked in masked trees, secrets masked. */
export function attrText(name: string, value: string, ctx: number): string {
  return ctx & Ctx.Mask && TEXT_ATTRS.test(name) ? mask(value) : redactSecrets(value);
}

/** attrText() for every (string) attribute of a serialized element, in place. */
export function maskAttributes(attributes: { [name: string]: unknown }, ctx: number): void {
  for (const name in attributes) {
    const v = attributes[name];
    if (typeof v === 'string') attributes[name] = attrText(name, v, ctx);
  }
}

/**
 * The value of an input, textarea or select as it may be recorded, or null for none at all. A
 * field whose value holds a card number or an IBAN is private from then on.
 */
export function fieldValue(el: Element, ctx: number): string | null {
  if (isPrivateField(el, ctx)) return null;
  const v = (el as HTMLInputElement).value;
  if (redactSecrets(v) !== v) {
    keepPrivate(el);
    return null;
  }
  return ctx & Ctx.Mask || maskAllInputs ? mask(v) : redactTypedNumbers(v);
}
