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
import { hash } from "node:crypto";
import type { Codebook } from "../codebook/schema.ts";
import type { Respondent } from "./parse-row.ts";

export interface Key {
  hi: number;
  lo: number;
}

/**
 * A 64-bit hash as two unsigned 32-bit halves: cyrb53's two lanes, both kept, fed with 32-bit words (characters,
 * integers, the two halves of a double), so that a respondent is hashed without building a string.
 */
class Hasher {
  h1: number;
  h2: number;
  constructor(seed = 0) {
    this.h1 = 0xdeadbeef ^ seed;
    this.h2 = 0x41c6ce57 ^ seed;
  }
  word(w: number): this {
    this.h1 = Math.imul(this.h1 ^ w, 2654435761);
    this.h2 = Math.imul(this.h2 ^ w, 1597334677);
    return this;
  }
  text(s: string): this {
    for (let i = 0; i < s.length; i++) this.word(s.charCodeAt(i));
    return this.word(0x1f); // a separator: "ab","c" is not "a","bc"
  }
  number(v: number): this {
    if (Number.isInteger(v) && v >= -0x80000000 && v <= 0x7fffffff) return this.word(1).word(v | 0);
    FLOAT[0] = v;
    return this.word(2).word(WORDS[0]).word(WORDS[1]);
  }
  digest(): Key {
    let { h1, h2 } = this;
    h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
    h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
    h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
    h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
    return { hi: h2 >>> 0, lo: h1 >>> 0 };
  }
}
const FLOAT = new Float64Array(1);
const WORDS = new Uint32Array(FLOAT.buffer);

/** A 64-bit hash of a string. */
export function hash64(text: string, seed = 0): Key {
  return new Hasher(seed).text(text).digest();
}

export const keyToBigInt = (k: Key): bigint => (BigInt(k.hi) << 32n) | BigInt(k.lo);

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

/** Computes respondents' keys for one codebook: the questions with closed answers, in codebook order. */
export class Fingerprinter {
  private readonly questions: { code: string; codeHash: number }[];

  constructor(codebook: Codebook) {
    this.questions = codebook.questions
      .filter((q) => q.type !== "text")
      .map((q) => ({ code: q.code, codeHash: hash64(q.code).lo }));
  }

  private at(r: Respondent, minute: string): Key {
    const h = new Hasher();
    if (r.serial === null) h.word(0);
    else h.word(1).number(r.serial);
    h.text(minute);
    for (const { code, codeHash } of this.questions) {
      const a = r.answers.get(code);
      if (a === undefined) continue;
      h.word(codeHash);
      switch (a.type) {
        case "likert":
        case "number":
          h.number(a.value);
          break;
        case "single":
          h.number(a.option);
          break;
        case "unit":
          h.text(a.unit);
          break;
        case "multiple":
          h.word(a.options.length);
          for (const o of a.options) h.number(o);
          break;
      }
    }
    return h.digest();
  }

  keys(r: Respondent, wave: number): RespondentKeys {
    const minute = r.submittedAt ? r.submittedAt.slice(0, 16) : `wave ${wave}`;
    let previousMinute: Key | null = null;
    if (r.submittedAt && r.submittedAt.endsWith(":00")) {
      const t = Date.parse(`${r.submittedAt}Z`);
      if (!Number.isNaN(t)) previousMinute = this.at(r, new Date(t - 60_000).toISOString().slice(0, 16));
    }
    return {
      fingerprint: this.at(r, minute),
      previousMinute,
      exact: r.serial !== null && r.submittedAt ? exactKey(r.serial, r.submittedAt) : null,
      weak: r.serial === null && !r.submittedAt
    };
  }
}

/**
 * 序号 + submission time to the second: the first 64 bits of the MD5 of `<serial>\x1f<submitted_at>`, little-endian,
 * which is what exactKeySql computes in DuckDB from the store's columns (no string crosses into JavaScript there).
 */
export function exactKey(serial: number, submittedAt: string): Key {
  // crypto.hash, one call per row: half the time of a Hash object's createHash/update/digest (measured, 200,000 keys)
  const digest = hash("md5", `${serial}\u001f${submittedAt}`, "buffer");
  return { hi: digest.readUInt32LE(4), lo: digest.readUInt32LE(0) };
}

/** exactKey in DuckDB over the respondents of table alias `t`: its low and high 32-bit halves (NULL without serial or time). */
export function exactKeySql(t: string): { hi: string; lo: string } {
  const md5 = `md5_number(${t}.serial::VARCHAR || chr(31) || ${t}.submitted_at)`;
  return { lo: `(${md5} & 4294967295)::UINTEGER`, hi: `((${md5} >> 32) & 4294967295)::UINTEGER` };
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
  readonly index: SeenIndex;
  readonly names: string[] = [];

  constructor(capacity = 1024) {
    this.index = new SeenIndex(capacity);
  }

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
