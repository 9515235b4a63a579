// Maps keyed by a few parts (wave, unit, level, code …) as maps nested one level per part. Joining the parts into one
// key string (`${wave}|${unit}|${level}|${code}`) builds and hashes a new string at every lookup: at 5,000 units the
// marts looked up 640,000 unit rows several times, and those strings were a tenth of the pass and much of its garbage.
// One class per number of parts, so that a key of the wrong length does not type-check. In io/, the lowest layer,
// because the ingest uses it too (the assessment scores: a unit, indicator and year seen twice).
type Part = string | number;

/** A map keyed by three parts. */
export class NestedMap3<V> {
  private readonly root = new Map<Part, Map<Part, Map<Part, V>>>();

  get(a: Part, b: Part, c: Part): V | undefined {
    return this.root.get(a)?.get(b)?.get(c);
  }

  set(value: V, a: Part, b: Part, c: Part): void {
    let second = this.root.get(a);
    if (!second) this.root.set(a, (second = new Map()));
    let third = second.get(b);
    if (!third) second.set(b, (third = new Map()));
    third.set(c, value);
  }
}

/** A map keyed by four parts. */
export class NestedMap4<V> {
  private readonly first3 = new NestedMap3<Map<Part, V>>();

  get(a: Part, b: Part, c: Part, d: Part): V | undefined {
    return this.first3.get(a, b, c)?.get(d);
  }

  set(value: V, a: Part, b: Part, c: Part, d: Part): void {
    let last = this.first3.get(a, b, c);
    if (!last) this.first3.set((last = new Map()), a, b, c);
    last.set(d, value);
  }
}
