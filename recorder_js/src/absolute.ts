// Addresses as recorded: URLs in attributes and CSS made absolute against the document being
// serialized (its base URL read once per snapshot or mutation run), secret-like parameters
// redacted (urls.ts).

import { redactUrl } from './urls.js';

const HAS_SCHEME = /^[a-z][a-z\d+.-]*:/i;
const CSS_URL = /url\(\s*(['"]?)([^'")]*)\1\s*\)/g;
/**
 * One srcset candidate, as HTML parses it: a URL (no whitespace, commas inside kept, trailing
 * commas not), then its descriptors up to the next comma.
 */
const SRCSET = /([\s,]*)(\S+?)(,+(?=\s|$)|(?=\s|$)[^,]*)/g;

let base = '';
let origin = '';
let baseDir = '';

/** Reads the base URL of `doc`: URLs met next are made absolute against it. */
export function setBase(doc: Document): void {
  base = doc.baseURI;
  const m = /^[a-z][a-z\d+.-]*:\/\/[^/?#]*/i.exec(base);
  origin = m ? m[0] : '';
  baseDir = base.replace(/[?#].*$/, '').replace(/[^/]*$/, '');
}

export function absUrl(v: string, b = base): string {
  if (!v || v[0] === '#' || HAS_SCHEME.test(v)) return v;
  // Fast paths for the common shapes ("/a/b", "a/b.png"); anything unusual goes through URL.
  if (b === base && origin && !/[\s\\%]|\.\/|^\/\/|^\.\.?$/.test(v))
    return v[0] === '/' ? origin + v : v[0] === '?' ? base.replace(/[?#].*$/, '') + v : baseDir + v;
  try {
    return new URL(v, b).href;
  } catch {
    return v;
  }
}

/** Makes url(...) references in CSS absolute (relative to `b`, the sheet's or document's URL). */
export function absCss(css: string, b = base): string {
  return css.indexOf('url(') < 0
    ? css
    : css.replace(CSS_URL, (m, q: string, u: string) => {
        const a = absUrl(u, b);
        return a === u ? m : 'url(' + q + a + q + ')';
      });
}

/**
 * An attribute value as recorded: URLs absolute, secret-like parameters redacted. (Form values
 * are handled per element; privacy.ts drops and masks.)
 */
export function attrValue(tag: string, name: string, v: string): string {
  if (
    name === 'src' ||
    name === 'href' ||
    name === 'xlink:href' ||
    name === 'poster' ||
    name === 'background' ||
    name === 'action' ||
    name === 'formaction' ||
    (name === 'data' && tag === 'object')
  )
    return redactUrl(absUrl(v));
  if (name === 'srcset')
    return v.replace(SRCSET, (_, lead: string, url: string, rest: string) => lead + redactUrl(absUrl(url)) + rest);
  if (name === 'style') return absCss(v);
  return v;
}
