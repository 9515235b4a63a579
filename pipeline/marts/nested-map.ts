// A map keyed by a few parts (wave, unit, level, code …) as maps nested one level per part. Joining the parts into one
// key string (`${wave}|${unit}|${level}|${code}`) builds and hashes a new string at every lookup: at 5,000 units the
// marts look up 640,000 unit rows several times, and those strings were a tenth of the pass and much of its garbage.
// An instance takes keys of one length (three or four parts), always in the same order.
type Part = string | number;

export class NestedMap<V> {
  private readonly root = new Map<Part, Map<Part, Map<Part, unknown>>>();

  get(a: Part, b: Part, c: Part, d?: Part): V | undefined {
    const third = this.root.get(a)?.get(b);
    if (third === undefined) return undefined;
    if (d === undefined) return third.get(c) as V | undefined;
    return (third.get(c) as Map<Part, V> | undefined)?.get(d);
  }

  set(value: V, a: Part, b: Part, c: Part, d?: Part): void {
    let second = this.root.get(a);
    if (!second) this.root.set(a, (second = new Map()));
    let third = second.get(b);
    if (!third) second.set(b, (third = new Map()));
    if (d === undefined) {
      third.set(c, value);
      return;
    }
    let fourth = third.get(c) as Map<Part, V> | undefined;
    if (!fourth) third.set(c, (fourth = new Map()));
    fourth.set(d, value);
  }
}
