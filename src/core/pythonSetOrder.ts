/**
 * nrfutil builds sd_req lists through Python sets, so the order on the wire is the
 * iteration order of a CPython 3 set of small non-negative ints (hash(i) == i). This
 * replays CPython's open addressing (setobject.c: 8 initial slots, 9 linear probes,
 * perturbation shift 5, growth to 4×used when 3/5 full) to get that order.
 */
const MIN_SIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;

class CPythonIntSet {
  private table: (number | undefined)[] = new Array(MIN_SIZE).fill(undefined);
  private used = 0;

  add(value: number): void {
    if (this.findSlot(value, true) === 'present') return;
    this.used++;
    const mask = this.table.length - 1;
    if (this.used * 5 >= mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
  }

  values(): number[] {
    return this.table.filter((v): v is number => v !== undefined);
  }

  /** Walks the probe sequence; inserts at the first empty slot unless the value is found. */
  private findSlot(value: number, insert: boolean): 'present' | 'inserted' {
    const mask = this.table.length - 1;
    let perturb = BigInt(value);
    let i = value & mask;
    for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) {
        const slot = this.table[i + j];
        if (slot === undefined) {
          if (insert) this.table[i + j] = value;
          return 'inserted';
        }
        if (slot === value) return 'present';
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  private resize(minUsed: number): void {
    let size = MIN_SIZE;
    while (size <= minUsed) size <<= 1;
    const old = this.values();
    this.table = new Array(size).fill(undefined);
    for (const v of old) this.findSlot(v, true);
  }
}

/** The order Python's `list(set(values))` yields. */
export function pythonSetOrder(values: readonly number[]): number[] {
  const set = new CPythonIntSet();
  for (const v of values) set.add(v);
  return set.values();
}

/** The order Python's `list(set(a) - set(b))` yields. */
export function pythonSetDifference(a: readonly number[], b: readonly number[]): number[] {
  const exclude = new Set(b);
  return pythonSetOrder(pythonSetOrder(a).filter((v) => !exclude.has(v)));
}
