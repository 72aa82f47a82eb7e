/**
 * nrfutil builds sd_req lists through Python sets, so the order on the wire is the
 * iteration order of a CPython 3 set of small non-negative ints (hash(i) == i). This
 * replays CPython's open addressing (setobject.c: 8 initial slots, 9 linear probes,
 * perturbation shift 5, growth to 4×used when 3/5 full) to get that order.
 */
const MIN_SIZE = 8;
const LINEAR_PROBES = 9;
const PERTURB_SHIFT = 5n;

const DUMMY = -1; // a discarded slot: skipped by iteration, never matched

class CPythonIntSet {
  private table: (number | undefined)[] = new Array(MIN_SIZE).fill(undefined);
  private used = 0;
  private fill = 0; // used + dummies

  add(value: number): void {
    if (this.findSlot(value, true) === 'present') return;
    this.used++;
    this.fill++;
    const mask = this.table.length - 1;
    if (this.fill * 5 >= mask * 3) this.resize(this.used > 50000 ? this.used * 2 : this.used * 4);
  }

  has(value: number): boolean {
    return this.findSlot(value, false) === 'present';
  }

  /** set_discard_entry: the slot becomes a dummy, so the others keep their places. */
  discard(value: number): void {
    const i = this.table.indexOf(value);
    if (i < 0) return;
    this.table[i] = DUMMY;
    this.used--;
  }

  get size(): number {
    return this.used;
  }

  values(): number[] {
    return this.table.filter((v): v is number => v !== undefined && v !== DUMMY);
  }

  /**
   * set(self) as set_merge builds it into an empty set: one resize up front when the
   * source holds 5 or more, then a slot-for-slot copy when the tables are the same size
   * and the source has no dummies, else a clean insert in the source's slot order.
   */
  copy(): CPythonIntSet {
    const out = new CPythonIntSet();
    if (this.used === 0) return out;
    if (this.used * 5 >= (MIN_SIZE - 1) * 3) out.table = new Array(tableSizeFor(this.used * 2)).fill(undefined);
    if (out.table.length === this.table.length && this.fill === this.used) out.table = this.table.slice();
    else for (const v of this.values()) out.findSlot(v, true);
    out.used = out.fill = this.used;
    return out;
  }

  /** Walks the probe sequence; inserts at the first empty slot unless the value is found. */
  private findSlot(value: number, insert: boolean): 'present' | 'inserted' | 'absent' {
    const mask = this.table.length - 1;
    let perturb = BigInt(value);
    let i = value & mask;
    for (;;) {
      const probes = i + LINEAR_PROBES <= mask ? LINEAR_PROBES : 0;
      for (let j = 0; j <= probes; j++) {
        const slot = this.table[i + j];
        if (slot === undefined) {
          if (!insert) return 'absent';
          this.table[i + j] = value;
          return 'inserted';
        }
        if (slot === value) return 'present';
      }
      perturb >>= PERTURB_SHIFT;
      i = Number((BigInt(i) * 5n + 1n + perturb) & BigInt(mask));
    }
  }

  private resize(minUsed: number): void {
    const old = this.values();
    this.table = new Array(tableSizeFor(minUsed)).fill(undefined);
    this.fill = this.used;
    for (const v of old) this.findSlot(v, true);
  }
}

/** set_table_resize: the smallest power of two above minUsed (at least 8). */
function tableSizeFor(minUsed: number): number {
  let size = MIN_SIZE;
  while (size <= minUsed) size <<= 1;
  return size;
}

function setOf(values: readonly number[]): CPythonIntSet {
  const set = new CPythonIntSet();
  for (const v of values) set.add(v);
  return set;
}

/** The order Python's `list(set(values))` yields. */
export function pythonSetOrder(values: readonly number[]): number[] {
  return setOf(values).values();
}

/**
 * The order Python's `list(set(a) - set(b))` yields. CPython's set_difference has two
 * paths: when the left set has more than 4x as many members as the right one it copies
 * the left set and discards the right one's members from the copy (survivors keep the
 * copy's slots); otherwise it adds the survivors one by one to a new set.
 */
export function pythonSetDifference(a: readonly number[], b: readonly number[]): number[] {
  const left = setOf(a);
  const right = setOf(b);
  if (left.size >> 2 > right.size) {
    const result = left.copy();
    for (const v of right.values()) result.discard(v);
    return result.values();
  }
  return pythonSetOrder(left.values().filter((v) => !right.has(v)));
}
