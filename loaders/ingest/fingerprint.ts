// Recognising a respondent already ingested, whatever the export mode (text, number, score), the container, the
// encoding or the time precision (Excel re-saves 提交答卷时间 as yyyy/m/d h:mm, without seconds).
//
// A respondent's fingerprint is a 64-bit hash of its 序号, its submission time truncated to the minute, and its decoded
// closed answers (scale values, option numbers, roster units, numbers; open text and 〖…〗 fill-ins are left out:
// number-mode exports have no fill-ins, and Excel alters some typed texts when it re-saves a CSV). The same
// submission exported twice has the same fingerprint; two cadres who gave identical answers do not, since they
// differ in 序号 or submission time. Without a 提交答卷时间 the wave stands for the time. A respondent with neither a
// 序号 nor a submission time has a *weak* fingerprint (its answers and wave only): identical answers then cannot tell
// a row pasted twice from two people, so a match is reported as a warning, never quarantined.
// Besides, the exact key 序号 + submission time to the second (the earlier rule) still catches a copy whose answers
// were edited by hand.
//
// The store keeps each respondent's fingerprint as a UBIGINT column (respondents.fingerprint); an ingest loads the
// fingerprints and exact keys of the whole store into a SeenIndex: two 32-bit halves and a file number per key in
// typed arrays (about 24 bytes per key), never a JavaScript Map of strings or answers.
import type { Codebook } from "../codebook/schema.ts";
import type { Respondent } from "./parse-row.ts";

export interface Key {
  hi: number;
  lo: number;
}

/** A 64-bit hash of a string as two unsigned 32-bit halves (cyrb53's two lanes, both kept). */
export function hash64(text: string, seed = 0): Key {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 2654435761);
    h2 = Math.imul(h2 ^ c, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return { hi: h2 >>> 0, lo: h1 >>> 0 };
}

export const keyToBigInt = (k: Key): bigint => (BigInt(k.hi) << 32n) | BigInt(k.lo);

/** The closed answers of a respondent in codebook order, as text (the part of the fingerprint that is answers). */
function closedAnswers(r: Respondent, codebook: Codebook): string {
  let out = "";
  for (const q of codebook.questions) {
    const a = r.answers.get(q.code);
    if (a === undefined) continue;
    switch (a.type) {
      case "likert":
      case "number":
        out += `${q.code}=${a.value}\u001e`;
        break;
      case "single":
        out += `${q.code}=${a.option}\u001e`;
        break;
      case "unit":
        out += `${q.code}=${a.unit}\u001e`;
        break;
      case "multiple":
        out += `${q.code}=${a.options.join(",")}\u001e`;
        break;
      case "text":
        break; // left out (see above)
    }
  }
  return out;
}

export interface RespondentKeys {
  /** The fingerprint at the submission minute. */
  fingerprint: Key;
  /** The fingerprint at the minute before, for a time whose seconds are :00 (maybe rounded up when Excel re-saved it). */
  previousMinute: Key | null;
  /** 序号 + submission time to the second, or null without either. */
  exact: Key | null;
  /** Neither 序号 nor submission time: a match is only a warning. */
  weak: boolean;
}

function fingerprintAt(serial: number | null, minute: string, answers: string): Key {
  return hash64(`${serial ?? ""}\u001f${minute}\u001f${answers}`);
}

export function respondentKeys(r: Respondent, codebook: Codebook, wave: number): RespondentKeys {
  const answers = closedAnswers(r, codebook);
  const minute = r.submittedAt ? r.submittedAt.slice(0, 16) : `wave ${wave}`;
  let previousMinute: Key | null = null;
  if (r.submittedAt && r.submittedAt.endsWith(":00")) {
    const t = Date.parse(`${r.submittedAt}Z`);
    if (!Number.isNaN(t)) previousMinute = fingerprintAt(r.serial, new Date(t - 60_000).toISOString().slice(0, 16), answers);
  }
  return {
    fingerprint: fingerprintAt(r.serial, minute, answers),
    previousMinute,
    exact: r.serial !== null && r.submittedAt ? exactKey(r.serial, r.submittedAt) : null,
    weak: r.serial === null && !r.submittedAt
  };
}

/** 序号 + submission time to the second, hashed (another seed: never equal to a fingerprint by construction). */
export function exactKey(serial: number, submittedAt: string): Key {
  return hash64(`${serial}\u001f${submittedAt}`, 0x5eed);
}

/**
 * A set of 64-bit keys, each with a number (the file it came from, or a row), in typed arrays with open addressing:
 * about 24 bytes per key at most, so a million respondents' keys take some 50 MB, not a Map of strings.
 */
export class SeenIndex {
  private hi: Uint32Array;
  private lo: Uint32Array;
  private value: Int32Array;
  private count = 0;

  constructor(capacity = 1024) {
    let size = 1024;
    while (size < capacity * 2) size *= 2;
    this.hi = new Uint32Array(size);
    this.lo = new Uint32Array(size);
    this.value = new Int32Array(size).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  private slot(hi: number, lo: number): number {
    const mask = this.value.length - 1;
    let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask;
    while (this.value[i] !== -1 && (this.hi[i] !== hi || this.lo[i] !== lo)) i = (i + 1) & mask;
    return i;
  }

  /** The number stored with the key, or -1. */
  get(key: Key): number {
    return this.value[this.slot(key.hi, key.lo)];
  }

  /** Stores the key with a number (≥ 0) unless the key is there already (the first one stays). */
  add(key: Key, value: number): void {
    if ((this.count + 1) * 10 > this.value.length * 7) this.grow();
    const i = this.slot(key.hi, key.lo);
    if (this.value[i] !== -1) return;
    this.hi[i] = key.hi;
    this.lo[i] = key.lo;
    this.value[i] = value;
    this.count++;
  }

  private grow(): void {
    const { hi, lo, value } = this;
    this.hi = new Uint32Array(hi.length * 2);
    this.lo = new Uint32Array(hi.length * 2);
    this.value = new Int32Array(hi.length * 2).fill(-1);
    this.count = 0;
    for (let i = 0; i < value.length; i++) if (value[i] !== -1) this.add({ hi: hi[i], lo: lo[i] }, value[i]);
  }
}

/** Every respondent already in the store (or earlier in the batch): its keys, and the names of the files. */
export class Seen {
  readonly index = new SeenIndex();
  readonly names: string[] = [];

  addFile(name: string): number {
    return this.names.push(name) - 1;
  }

  /** The name of the file holding a respondent with this key, if any. */
  fileOf(key: Key | null): string | undefined {
    if (!key) return undefined;
    const file = this.index.get(key);
    return file < 0 ? undefined : this.names[file];
  }
}
