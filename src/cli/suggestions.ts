/**
 * click's "Did you mean" for a mistyped option: Python's difflib.get_close_matches
 * (n=3, cutoff 0.6, SequenceMatcher's ratio), reproduced so the same typo gets the same
 * suggestion as in nrfutil.
 */

/** Sum of SequenceMatcher's matching-block sizes: longest common run, then recurse on both sides. */
function matchingCharacters(a: string, b: string): number {
  let total = 0;
  const queue: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  while (queue.length) {
    const [alo, ahi, blo, bhi] = queue.pop()!;
    // find_longest_match: longest block, earliest in a, then earliest in b
    let bestI = alo;
    let bestJ = blo;
    let bestSize = 0;
    let lengths = new Map<number, number>();
    for (let i = alo; i < ahi; i++) {
      const next = new Map<number, number>();
      for (let j = blo; j < bhi; j++) {
        if (a[i] !== b[j]) continue;
        const k = (lengths.get(j - 1) ?? 0) + 1;
        next.set(j, k);
        if (k > bestSize) {
          bestI = i - k + 1;
          bestJ = j - k + 1;
          bestSize = k;
        }
      }
      lengths = next;
    }
    if (bestSize === 0) continue;
    total += bestSize;
    queue.push([alo, bestI, blo, bestJ], [bestI + bestSize, ahi, bestJ + bestSize, bhi]);
  }
  return total;
}

function ratio(a: string, b: string): number {
  const length = a.length + b.length;
  return length ? (2 * matchingCharacters(a, b)) / length : 1;
}

/** difflib.get_close_matches(word, possibilities): best first, at most 3, ratio ≥ 0.6. */
export function closeMatches(word: string, possibilities: readonly string[]): string[] {
  return possibilities
    .map((p) => ({ p, score: ratio(p, word) }))
    .filter((m) => m.score >= 0.6)
    .sort((x, y) => y.score - x.score || (y.p > x.p ? 1 : y.p < x.p ? -1 : 0))
    .slice(0, 3)
    .map((m) => m.p);
}

/** click's suffix: ` Did you mean X?` or ` (Possible options: X, Y)`, or nothing. */
export function suggestionSuffix(word: string, possibilities: readonly string[], kind = 'options'): string {
  const matches = closeMatches(word, possibilities).sort();
  if (matches.length === 0) return '';
  if (matches.length === 1) return ` Did you mean ${matches[0]}?`;
  return ` (Possible ${kind}: ${matches.join(', ')})`;
}

/** click's message for an unknown option, with the command's long options as candidates. */
export function noSuchOptionMessage(given: string, longOptions: readonly string[]): string {
  const name = given.split('=')[0];
  return `No such option: ${name}${suggestionSuffix(name, longOptions)}`;
}

/**
 * An unknown command: click's `No such command 'X'.`, naming the first word that is not
 * a command or topic, with the closest of that level's names suggested.
 */
export function noSuchCommandMessage(words: readonly string[], commandIds: readonly string[]): string {
  const paths = commandIds.map((id) => id.split(':'));
  let depth = 0;
  while (depth < words.length && paths.some((p) => p.length > depth + 1 && p.slice(0, depth + 1).join(':') === words.slice(0, depth + 1).join(':'))) depth++;
  const siblings = [...new Set(paths.filter((p) => p.length > depth && p.slice(0, depth).join(':') === words.slice(0, depth).join(':')).map((p) => p[depth]))];
  const word = words[depth] ?? '';
  const matches = closeMatches(word, siblings).sort();
  const suggestion = matches.length === 0 ? '' : matches.length === 1 ? ` Did you mean '${matches[0]}'?` : ` (Possible commands: ${matches.join(', ')})`;
  return `No such command '${word}'.${suggestion}`;
}
