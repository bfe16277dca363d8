// URLs as they may leave the browser: query and fragment parameters with secret-like names
// (token, code, password, key, email...) have their values replaced by REDACTED, and so has the
// password of `user:password@` in the address. Everything else is kept byte for byte.

import { redactSecrets } from './secrets.js';

/** Words that make a parameter name secret (`reset_token` has the word `token`), with ENDINGS. */
const WORDS =
  'pwd pass passphrase pin code otp totp key apikey auth authorization sig signature hmac ' +
  'credential credentials session sessionid sessid jsessionid phpsessid sid jwt saml ' +
  'samlresponse assertion ticket email mail phone ssn iban';
/** A word that ends like this is secret: `token`, `csrftoken`, `clientsecret`, `newpassword`. */
const ENDINGS = /(token|secret|passw(or)?d)$/;
/** `?` `&` `#` `;`, a name, `=`, a value (up to the next separator). */
const PARAM = /([?&#;])([^?&#;=]+)=([^?&#;]+)/g;
const USER_PASSWORD = /^([a-z][a-z\d+.-]*:\/\/[^/?#@:]*:)[^/?#@]+@/i;

let secretWords = new Set<string>(WORDS.split(' '));

/** A name reduced for comparison: lower case, letters and digits only. */
function squash(name: string): string {
  return name.toLowerCase().replace(/[^a-z\d]/g, '');
}

/** Adds the site's own secret parameter names (start() option `redactUrlParams`) to the defaults. */
export function configure(names: string[] = []): void {
  secretWords = new Set(WORDS.split(' ').concat(names.map(squash)));
}

/**
 * True for a parameter name that holds a secret: one of its words (split at anything but letters
 * and digits, and where lower case turns upper: `X-Amz-Signature`, `resetToken`), or the whole
 * name without separators, is on the list, or a word ends in token, secret or password.
 */
function isSecretName(name: string): boolean {
  try {
    name = decodeURIComponent(name);
  } catch {
    /* kept as written */
  }
  const words = name
    .replace(/([a-z\d])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z\d]+/);
  words.push(words.join(''));
  return words.some((w) => secretWords.has(w) || ENDINGS.test(w));
}

/** `url` with the values of secret-like parameters replaced by REDACTED. */
export function redactUrl(url: string): string {
  if (!url || /^(data|blob):/i.test(url)) return url; // contents, not addresses
  const out = url
    .replace(USER_PASSWORD, '$1REDACTED@')
    .replace(PARAM, (m, sep: string, name: string) =>
      isSecretName(name) ? sep + name + '=REDACTED' : m,
    );
  return redactSecrets(out);
}
