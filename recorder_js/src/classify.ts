// The field classifier: decides from an element's own markup (type, autocomplete tokens, name,
// id, label text, placeholder, aria-label, title, inline text-security styling) and its
// neighbours (split-box groups) whether a form field holds a secret. No state but an index of
// labels kept while the recorder works, no events, no layout reads; computed style only for a field with no other hint (text-security from a
// stylesheet). privacy.ts remembers what was ever private.

import { rootOf } from './builtins.js';

/** What kind of secret a field holds, or '' for an ordinary field. */
export type SecretKind = '' | 'password' | 'card' | 'otp' | 'bank' | 'id';

/** One pattern matching any of the given ones. */
const anyOf = (...res: RegExp[]): RegExp => RegExp(res.map((re) => re.source).join('|'));

// The patterns run on words(): accents folded, lower case, camelCase, snake_case, kebab-case and
// digits split apart ("otpCode_1" -> "otp code 1"). A stem without \b also matches compounds
// (kreditkartennummer, kennwortbestatigung). The first kind that matches wins, in this order.
// VAT numbers (vat id, USt-IdNr, TVA, partita IVA, BTW) identify companies and are public: ordinary.
const KINDS: [SecretKind, RegExp][] = [
  [
    'id',
    anyOf(
      /\b(ssn|nir|nss|dni|nie|nif|cpf|rg|cnh|bsn|tin|itin|curp|rfc|cuil|cuit|rut|pesel|svnr|ahv|aadhaar)\b/,
      /social ?(security|insurance)|national ?(id|identi|insurance|number|no\b)/,
      /(?<!(vat|st|tva|btw|iva) )\b(id|ni) ?(card|number|no|nr|num)\b|identi(t|fi[ck]a)/,
      /\btax ?(id|number|no\b|nr|code|payer|identi|ref)|(?<!umsatz)steuer ?(id|n|identi)/,
      /(codice|codigo|numero|n) fiscal|contribuinte|burgerservice|sofi ?nummer|person(al)? ?(id|nummer)\b/,
      /passport|passeport|pasaporte|passaporto|paspoort|reisepass|ausweis/,
      /driv\w* ?s? ?licen[cs]|licen[cs]e ?(n|number|no)\b|fuhrerschein|\bpermis\b/,
      /conduc(ir|ao)|conduire|patente|rijbewijs/,
      /sozialversicherung|securite sociale|segur(idad|anca) social|sociale ?zekerheid|previdenza/,
    ),
  ],
  [
    'card',
    anyOf(
      /\bcards?(?!i|board)|(credit|debit) ?card|\bkart(e|en)|kreditkart|\bcart(e|a|ao)\b|\btarjeta|\bkaart/,
      /\bcc ?(num|no\b|nr|exp|cv|cs|name|given|family|additional|type|holder|code|mon|year)/,
      /\bcv[cv2n]|\bcsc\b|pruf(nummer|ziffer)|cryptogramme/,
      /(secur|segur|sicur|sicherheit|beveilig)\w* ?(code|codigo|codice)/,
      /(code|codigo|codice) ?(de |di |da |do )?(secur|segur|sicur)/,
      /\bexp(?=\b|ir|date|m|y)|(?<!dd )\bmm ?yy|valid (thru|through|until)|good thru/,
      /ablauf|gultig|verfall|validite|vencimiento|caducidad|scadenza|validade|vervaldatum|verloopdatum|geldig tot/,
    ),
  ],
  [
    'otp',
    anyOf(
      /\b(otp|totp|hotp\b|otc\b|digit \d)|one ?time|einmal|eenmalig|usage unique|authenticator|digits? ?code|code (that )?(we|was) (just )?sent/,
      /\b2 ?(fa|factor|step)\b|\bmfa\b|two ?(factor|step)|\b(m|sms|push|chip|photo|mobile)? ?tan\b/,
      /(verif|conf[ie]rm|bestatig|bevestig|auth(?!or\b)|sms|login|access|zugang|toegang|activ|aktivier)\w* ?(code|codigo|codice)/,
      /(code|codigo|codice) ?(de |di |da |do |d )?(verif|conf[ie]rm|auth|sms|acc?es|activ|otp)/,
    ),
  ],
  [
    'password',
    anyOf(
      /passw|pass(code|phrase|key)?\b|\bpw\b|pwd|\bpsw|pword|\bpin(code|nummer|number|nr)?\b|\bsecret(?!ar)|geheim|token/,
      /kennwort|losungswort|\bmdp\b|mot ?de ?passe|contrasena|(?<!palabra )\bclave\b|senha|wachtwoord/,
      /parola d ?ordine|palavra ?passe|passord|losenord|adgangskode|salasana|heslo/,
      /\b(api|private|secret|licen[cs]e|access) ?keys?\b|security answer/,
    ),
  ],
  [
    'bank',
    anyOf(
      /\biban|\bbic\b|\bswift|\bbank|account ?(no\b|nr|num)|\bacct|routing|\baba\b|sort ?code/,
      /\bkonto|\bkto|\bacc ?(no|nr|num)|\bblz\b|\brib\b|rekeningn|\b(bsb|ifsc|clabe|cbu)\b/,
      /\b(num\w*|n|no) (de |di |da |do )?(compte|cuenta|conto|conta)\b|\b(compte|cuenta|conta|conto) (bancari|corr)/,
    ),
  ],
];
/** Inline style that hides typed characters as a password field does. */
const TEXT_SECURITY = /text-security\s*:\s*(disc|circle|square)/i;
const CARD_PLACEHOLDER = /^(\d{4}[ -]?){3}\d/;
const BULLET_PLACEHOLDER = /^([•●*]\s*){4,}$/;
/** Fields whose value is a label or a search query, never a secret. */
const NOT_A_SECRET = /^(button|submit|reset|image|search)$/;
const LABEL_CHARS = 200;

/** The words of a hint: accents folded, camelCase/snake/kebab/digits split, lower case. */
export function words(s: string): string {
  return s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[a-z](?=[A-Z])|[A-Z](?=[A-Z][a-z])|[a-zA-Z](?=\d)|\d(?=[a-zA-Z])/g, '$& ')
    .toLowerCase()
    .replace(/[^a-z\d]+/g, ' ');
}

const textOf = (node: Node | null | undefined): string =>
  node ? (node.textContent || '').slice(0, LABEL_CHARS) : '';

/** Label text by `for` id, per root. */
export type LabelIndex = WeakMap<Node, Map<string, string>>;
let labelIndex: LabelIndex | null = null;
/** False while a batch of mutations is classified: styles are stale then, reading them costly. */
let readStyles = true;

/**
 * Runs `work`, which classifies many fields at once, with the labels of each root indexed once, in
 * `index` (by default one for this call). Not el.labels, which makes Chromium walk the whole tree
 * for every field that asks. A sliced snapshot passes one index for all its slices: a field it
 * reaches later is classified by the labels as they were when the snapshot began (a label added
 * meanwhile counts from the field's next change on). A batch of mutations passes `styles` false:
 * right after the page changed the DOM, a computed style would force a style recalculation, so
 * stylesheet text-security is then left to the field's next input event.
 */
export function classifyingMany<T>(
  work: () => T,
  index: LabelIndex = labelIndex || new WeakMap(),
  styles = readStyles,
): T {
  const outer = labelIndex;
  const outerStyles = readStyles;
  labelIndex = index;
  readStyles = styles;
  try {
    return work();
  } finally {
    labelIndex = outer;
    readStyles = outerStyles;
  }
}

/** The text of the labels pointing at `id` (for="id") in `root`. */
function labelsFor(root: Document | ShadowRoot, id: string): string {
  let byId = labelIndex && labelIndex.get(root);
  if (!byId) {
    byId = new Map();
    const labels = (root as Document).getElementsByTagName
      ? (root as Document).getElementsByTagName('label')
      : root.querySelectorAll('label');
    for (let i = 0; i < labels.length; i++) {
      const label = labels[i] as HTMLLabelElement;
      const target = label.htmlFor;
      if (target && (labelIndex || target === id))
        byId.set(target, (byId.get(target) || '') + ' ' + textOf(label));
    }
    if (labelIndex) labelIndex.set(root, byId);
  }
  return byId.get(id) || '';
}

/** Every hint about what the field holds (autocomplete, name, id, labels...), as words(). */
function hints(el: Element): string {
  const attr = (name: string) => el.getAttribute(name) || '';
  let s = ['autocomplete', 'name', 'id', 'placeholder', 'aria-label', 'title'].map(attr).join(' ');
  s += ' ' + textOf(el.closest('label'));
  const root = rootOf(el) as Document | ShadowRoot;
  if (el.id) s += ' ' + labelsFor(root, el.id);
  if (root.getElementById)
    for (const id of attr('aria-labelledby').split(/\s+/))
      if (id) s += ' ' + textOf(root.getElementById(id));
  return words(s);
}

/** The kind a field shows by itself, ignoring its neighbours. */
export function ownKind(el: Element): SecretKind {
  const type = (el.getAttribute('type') || '').trim().toLowerCase();
  if (type === 'password' || TEXT_SECURITY.test(el.getAttribute('style') || '')) return 'password';
  if (NOT_A_SECRET.test(type) || el.getAttribute('role') === 'searchbox') return '';
  const s = hints(el);
  for (const [kind, re] of KINDS) if (re.test(s)) return kind;
  const placeholder = (el.getAttribute('placeholder') || '').trim();
  if (CARD_PLACEHOLDER.test(placeholder)) return 'card';
  return BULLET_PLACEHOLDER.test(placeholder) || styledSecret(el) ? 'password' : '';
}

/**
 * A text field a stylesheet shows as dots (-webkit-text-security). The one computed-style read of
 * the recorder, for fields that gave no other hint: about 0.5 us a field when styles are up to
 * date, one style recalculation of what changed otherwise.
 */
function styledSecret(el: Element): boolean {
  const view = el.ownerDocument.defaultView;
  if (!readStyles || !view || !/^(input|textarea)$/.test(el.localName)) return false;
  return /^(disc|circle|square)$/.test(view.getComputedStyle(el).getPropertyValue('-webkit-text-security'));
}

/** A short box's width (maxlength 1-6, else size 1-6), 0 for an ordinary field. */
function boxWidth(el: Element): number {
  for (const name of ['maxlength', 'size']) {
    const n = parseInt(el.getAttribute(name) || '', 10);
    if (n > 0) return n <= 6 ? n : 0;
  }
  return 0;
}

const inputsIn = (parent: ParentNode | null): Element[] =>
  parent ? Array.from(parent.children).filter((child) => child.localName === 'input') : [];

/**
 * The other boxes of a split field (a card number in four boxes, a code in six) of `el`'s width:
 * the inputs beside it, or, when each box has a wrapper of its own, those in the wrappers beside.
 */
function otherBoxes(el: Element, width: number): Element[] {
  const parent = el.parentNode;
  let group = inputsIn(parent);
  if (group.length < 2 && parent && parent.parentNode)
    group = Array.from(parent.parentNode.children).flatMap(inputsIn);
  return group.filter((box) => box !== el && boxWidth(box) === width);
}

/**
 * Classifies an input, textarea or select (or a contenteditable element). A short box with no
 * hint of its own takes the kind of a private box of the same width beside it.
 */
export function secretKind(el: Element): SecretKind {
  const kind = ownKind(el);
  const width = !kind && el.localName === 'input' && boxWidth(el);
  if (width)
    for (const box of otherBoxes(el, width)) {
      const boxKind = ownKind(box);
      if (boxKind) return boxKind;
    }
  return kind;
}
