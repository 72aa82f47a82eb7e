'use strict';
// oclif sorts a plugin's commands by id with localeCompare on every run; the first
// localeCompare of a process initialises ICU's collator (10-30 ms on the build machine,
// more than the work of a `pkg generate`). Under the root collation (the C, POSIX and
// English locales) the order of ids made of a-z, 0-9, '-' and ':' (every id here) is
// known: '-' < ':' < digits < letters, character by character, a prefix first. This
// compares such ids by that order, and anything else with localeCompare itself.
// scripts/bundle.js puts it into oclif's sort; test/commandIdOrder.test.ts checks it.
const PLAIN_ID = /^[a-z0-9:-]*$/;
const ROOT_COLLATION_LOCALE = /^(C|POSIX|en(_[A-Z]{2})?)([.@]|$)/;

/** Whether ICU's default locale (LC_ALL, else LC_MESSAGES, else LANG) collates like the root. */
function rootCollation(env) {
  const locale = env.LC_ALL || env.LC_MESSAGES || env.LANG || '';
  return locale === '' || ROOT_COLLATION_LOCALE.test(locale);
}

// '-' 0, ':' 1, '0'-'9' 2-11, 'a'-'z' 12-37
const rank = (c) => (c === 45 ? 0 : c === 58 ? 1 : c <= 57 ? c - 46 : c - 85);

function compareCommandIds(a, b, env = process.env) {
  if (!PLAIN_ID.test(a) || !PLAIN_ID.test(b) || !rootCollation(env)) return a.localeCompare(b);
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = rank(a.charCodeAt(i)) - rank(b.charCodeAt(i));
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

module.exports = { compareCommandIds };
