// Value-based protection, the second line behind the field classifier: card numbers (13-19
// digits passing the Luhn check) and IBANs (passing ISO 13616 mod-97) are masked wherever they
// appear, in any recorded text, value or attribute, whatever the field is called.

/**
 * Whole runs of 13 or more digits, single spaces or dashes allowed between them; a run glued to a
 * letter (an IBAN's, a product code's) is none.
 */
const DIGIT_RUN = /(?<![a-z\d]|\d[ -])\d(?:[ -]?\d){12,}/gi;
/** A word that may be an IBAN: country, check digits, 11-30 letters and digits in groups of four. */
const IBAN = /\b[a-z]{2}\d\d(?: ?[a-z\d]{4}){2,7}(?: ?[a-z\d]{1,4})?\b/gi;

/** ISO/IEC 7812 check digit. Numbers starting with 0, or 1 (UATP: 15 digits only), are no cards. */
function luhn(digits: string): boolean {
  const n = digits.length;
  if (digits[0] === '0' || (digits[0] === '1' && n !== 15)) return false;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const d = +digits[n - 1 - i] * (i % 2 ? 2 : 1);
    sum += d > 9 ? d - 9 : d;
  }
  return sum % 10 === 0;
}

/** ISO 13616: the IBAN (letters and digits, no spaces), its first four moved last, is 1 mod 97. */
function ibanValid(iban: string): boolean {
  let rest = 0;
  for (const c of iban.slice(4) + iban.slice(0, 4)) {
    const v = parseInt(c, 36);
    rest = (v > 9 ? rest * 100 + v : rest * 10 + v) % 97;
  }
  return rest === 1;
}

const stars = (s: string): string => s.replace(/[a-z\d]/gi, '*');

/** The IBAN at the start of a candidate, dropping groups that follow it ("... 7034 then"). */
function maskIban(candidate: string): string {
  for (let s = candidate; ; s = s.replace(/ ?[a-z\d]{1,4}$/i, '')) {
    const compact = s.replace(/ /g, '');
    if (compact.length < 15) return candidate;
    if (ibanValid(compact)) return stars(s) + candidate.slice(s.length);
  }
}

/**
 * Masks every card number in a run: 13-19 digits passing Luhn, written as one group, or as groups
 * of 4-8 digits (the last may be shorter) with one kind of separator, as people type them. Runs of
 * unrelated numbers ("+49 170 1234567 2025-11-30") are thus not read as one card.
 */
function maskCards(run: string): string {
  const parts = run.split(/([ -])/); // digit groups at even indices, separators between them
  const out = parts.slice();
  for (let i = 0; i < parts.length; i += 2)
    for (let j = i, digits = ''; j < parts.length; j += 2) {
      const previous = parts[j - 2] || '';
      if (j > i && (parts[j - 1] !== parts[i + 1] || !/^\d{4,8}$/.test(previous) || parts[j].length > 8))
        break;
      digits += parts[j];
      if (digits.length > 19) break;
      if (digits.length > 12 && luhn(digits)) for (let k = i; k <= j; k += 2) out[k] = stars(parts[k]);
    }
  return out.join('');
}

/** `text` with every card number and IBAN replaced by '*' of the same length; `text` itself when none. */
export function redactSecrets(text: string): string {
  if (text.length < 13 || !/\d/.test(text)) return text;
  const result = text.replace(IBAN, maskIban).replace(DIGIT_RUN, maskCards);
  return result === text ? text : result;
}

/** Numbers of 7 or more digits, in groups of 3 or more (a short last group while it is typed). */
const LONG_NUMBER = /\d{3,}(?:[ -]\d{3,})*(?:[ -]\d{1,2})?/g;

/**
 * A value typed into a form field, with every number of 7 or more digits masked: a card number in
 * a field nobody marked is only recognisable once complete, and each keystroke before that is
 * recorded, so from the 7th digit on the number is not (the first six, a card's issuer, are not
 * secret). Phone and account numbers are masked too, on purpose; dates and short numbers are not.
 */
export function redactTypedNumbers(value: string): string {
  if (value.length < 7) return value;
  const result = value.replace(LONG_NUMBER, (run) =>
    run.replace(/\D/g, '').length < 7 ? run : run.replace(/\d/g, '*'),
  );
  return result === value ? value : result;
}
