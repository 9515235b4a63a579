// A mart computed once per opened store and argument, for the marts that many data files share (a section's scale
// scores feed its page, the overview, the trends, the measures, the units and 探索): in the one pass that makes every
// data file in one process (pipeline/refresh/data-pass.ts) each is computed once, not once per file that reads it.
// The store's data does not change while it is open. The data files the first computation read (io/trace.ts) are
// recorded again for each later caller, so every file made from the result is known to depend on them. Callers read
// the result and never change it.
import { collectInputs, recordInput } from "../io/trace.ts";

export function perStore<S extends object, A extends string, T>(
  compute: (store: S, arg: A) => Promise<T>
): (store: S, arg: A) => Promise<T> {
  const made = new WeakMap<S, Map<A, Promise<{ value: T; inputs: string[] }>>>();
  return async (store, arg) => {
    const byArg = made.get(store) ?? new Map<A, Promise<{ value: T; inputs: string[] }>>();
    made.set(store, byArg);
    let entry = byArg.get(arg);
    const first = entry === undefined;
    if (!entry) {
      entry = collectInputs(() => compute(store, arg));
      byArg.set(arg, entry);
      // a failure is not kept: the next caller computes again (and fails with its own message)
      entry.catch(() => byArg.delete(arg));
    }
    const { value, inputs } = await entry;
    if (!first) for (const input of inputs) recordInput(input);
    return value;
  };
}
