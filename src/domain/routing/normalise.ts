/**
 * The normal form every triage matcher works in: Unicode NFKC, lower-case, curly quotes and backticks → `'`, every
 * character that is not a letter, digit or apostrophe → space, apostrophes kept only inside words, whitespace
 * collapsed; then negative contractions and chat spellings are expanded (`can't` / `cannot` / `cant` / `cnt` →
 * `can not`, `isn't` → `is not`, `login` → `log in`, …), so one phrase covers every spelling. Linear in the input.
 */

const CONTRACTIONS: Record<string, string> = {
  "can't": 'can not',
  cannot: 'can not',
  cant: 'can not',
  cnt: 'can not',
  cannt: 'can not',
  cudnt: 'could not',
  wont: 'will not',
  "won't": 'will not',
  "don't": 'do not',
  dont: 'do not',
  "doesn't": 'does not',
  doesnt: 'does not',
  "didn't": 'did not',
  didnt: 'did not',
  "isn't": 'is not',
  isnt: 'is not',
  "aren't": 'are not',
  arent: 'are not',
  "wasn't": 'was not',
  wasnt: 'was not',
  "weren't": 'were not',
  werent: 'were not',
  "haven't": 'have not',
  havent: 'have not',
  "hasn't": 'has not',
  hasnt: 'has not',
  "hadn't": 'had not',
  "couldn't": 'could not',
  couldnt: 'could not',
  "wouldn't": 'would not',
  wouldnt: 'would not',
  "shouldn't": 'should not',
  shouldnt: 'should not',
  "ain't": 'is not',
  "i'm": 'i am',
  im: 'i am',
  "i've": 'i have',
  ive: 'i have',
  "we've": 'we have',
  "you've": 'you have',
  "they've": 'they have',
  "we're": 'we are',
  "you're": 'you are',
  "they're": 'they are',
  "i'll": 'i will',
  "we'll": 'we will',
  "i'd": 'i would',
  "we'd": 'we would',
  "it's": 'it is',
  "that's": 'that is',
  "there's": 'there is',
  "what's": 'what is',
  "here's": 'here is',
  "who's": 'who is',
  "where's": 'where is',
  login: 'log in',
  logins: 'log ins',
  logon: 'log on',
  signin: 'sign in',
  noone: 'no one',
  pls: 'please',
  plz: 'please',
  u: 'you',
  ur: 'your',
  thx: 'thanks',
};
const CONTRACTION_RE = new RegExp(
  `(?<![^ ])(?:${Object.keys(CONTRACTIONS)
    .sort((a, b) => b.length - a.length)
    .map(escapeRegExp)
    .join('|')})(?![^ ])`,
  'g',
);

/**
 * The normal form both the text and the keywords are matched in: lower-case words of letters, digits and inner
 * apostrophes separated by single spaces, with contractions expanded (see the module comment). Linear in the input.
 */
export function normaliseForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u201a\u201b\u2032\u0060\u00b4]/g, "'")
    .replace(/[^\p{L}\p{N}']+/gu, ' ')
    .replace(/(?<![\p{L}\p{N}])'+|'+(?![\p{L}\p{N}])/gu, ' ')
    .replace(/ {2,}/g, ' ')
    .trim()
    .replace(CONTRACTION_RE, (w) => CONTRACTIONS[w] ?? w);
}

export function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
