// CSV text → rows of cells (RFC 4180: quoted fields, doubled quotes, CR/LF/CRLF line ends).
// Decoding bytes to text (UTF-8, BOM, GBK/GB18030, UTF-16) happens before, in decode.ts.

/**
 * Picks the delimiter (comma, tab, semicolon or |) that splits the first records of the text most consistently: the
 * one for which most of the first 20 records have the same number of fields (more than one); on a tie the one whose
 * split starts earliest (the header), then the one with more fields. Not the first line alone: a title line typed
 * above the header ("2019年问卷汇总") has no delimiter at all.
 */
export function detectDelimiter(text: string): string {
  const sample = text.slice(0, 65536);
  let best = { delimiter: ",", score: 0, first: Infinity, fields: 0 };
  for (const delimiter of [",", "\t", ";", "|"]) {
    const counts = recordFieldCounts(sample, delimiter, 20);
    const frequency = new Map<number, number>();
    for (const c of counts) if (c > 1) frequency.set(c, (frequency.get(c) ?? 0) + 1);
    for (const [fields, score] of frequency) {
      const first = counts.indexOf(fields);
      if (
        score > best.score ||
        (score === best.score && (first < best.first || (first === best.first && fields > best.fields)))
      )
        best = { delimiter, score, first, fields };
    }
  }
  return best.delimiter;
}

/** The number of fields of each of the first `max` non-blank records split by `delimiter` (quotes respected). */
function recordFieldCounts(text: string, delimiter: string, max: number): number[] {
  const counts: number[] = [];
  let quoted = false;
  let fields = 1;
  let blank = true;
  for (let i = 0; i < text.length && counts.length < max; i++) {
    const ch = text[i];
    if (!quoted && (ch === "\n" || ch === "\r")) {
      if (!blank) counts.push(fields);
      fields = 1;
      blank = true;
      continue;
    }
    if (ch === '"') quoted = !quoted;
    else if (ch === delimiter && !quoted) fields++;
    if (ch !== " ") blank = false;
  }
  if (!blank && counts.length < max) counts.push(fields);
  return counts;
}

export interface CsvRecords {
  rows: string[][];
  /** lines[i] is the text line (1-based) on which rows[i] starts; a quoted field with line breaks spans several lines. */
  lines: number[];
  /** endLines[i] is the text line on which rows[i] ends. */
  endLines: number[];
  /** Text lines on which a field opened a quote that no later quote closed: that quote was read as an ordinary character. */
  unclosedQuotes: number[];
}

const LF = 10;
const CR = 13;
const QUOTE = 34;

/** Unquoted fields up to this many characters are shared: one string per distinct value (a speed-up only). */
const INTERN_MAX = 32;
const INTERN_SLOTS = 4096;

/** text[start, end) as a string, the same string as last time the same characters hashed to the same slot. */
function interned(text: string, start: number, end: number, hash: number, table: string[]): string {
  const slot = (hash ^ (hash >>> 12)) & (INTERN_SLOTS - 1);
  const seen = table[slot];
  const length = end - start;
  if (seen.length === length) {
    let j = 0;
    while (j < length && seen.charCodeAt(j) === text.charCodeAt(start + j)) j++;
    if (j === length) return seen;
  }
  return (table[slot] = text.slice(start, end));
}

/**
 * Parses CSV text into records, keeping the line each record starts on. A field that opens a quote never closed
 * before the end of the text would swallow every later row into one cell; instead the quote is read as an ordinary
 * character and the line is reported, so no row disappears.
 */
export function parseCsvRecords(text: string, delimiter = detectDelimiter(text)): CsvRecords {
  const records: CsvRecords = { rows: [], lines: [], endLines: [], unclosedQuotes: [] };
  const delim = delimiter.charCodeAt(0);
  const n = text.length;
  const quoted: QuotedField = { end: 0, lineBreaks: 0 }; // one for the whole text: no allocation per field
  const table: string[] = new Array(INTERN_SLOTS).fill("");
  let i = 0;
  let line = 1;
  // Each record's array is made as long as the one before (growing it cell by cell costs more), then fitted.
  let row: string[] = [];
  let fields = 0;
  let rowLine = 1;
  let literalQuoteAt = -1; // position of an unclosed opening quote, read literally
  while (i < n) {
    // At the start of a field.
    let field: string;
    if (text.charCodeAt(i) === QUOTE && i !== literalQuoteAt) {
      const value = readQuotedField(text, i, delim, quoted);
      if (value === undefined) {
        records.unclosedQuotes.push(line);
        literalQuoteAt = i;
        continue; // re-read this field with its quote as an ordinary character
      }
      field = value;
      i = quoted.end;
      line += quoted.lineBreaks;
    } else {
      field = readUnquotedField(text, i, delim, table);
      i += field.length; // an unquoted field is exactly the characters it spans
    }
    row[fields++] = field;
    if (i >= n) break;
    const c = text.charCodeAt(i);
    if (c === delim) {
      i++;
      if (i >= n) row[fields++] = ""; // a trailing delimiter ends with an empty field
      continue;
    }
    // End of record.
    pushRecord(records, row, fields, rowLine, line);
    row = new Array<string>(Math.min(fields, 4096)); // (much longer would make V8 store it as a dictionary)
    fields = 0;
    i += c === CR && text.charCodeAt(i + 1) === LF ? 2 : 1;
    line++;
    rowLine = line;
  }
  if (fields > 0) pushRecord(records, row, fields, rowLine, line);
  return records;
}

/** Where a quoted field read by readQuotedField ends, and how many line breaks it spans (reused between fields). */
interface QuotedField {
  end: number;
  lineBreaks: number;
}

/**
 * The quoted field opening at text[start] (a quote): its value with doubled quotes undone, followed by any characters
 * between the closing quote and the next delimiter or line end (kept, lenient like Excel). Sets `out.end` to the
 * position after it and `out.lineBreaks`; undefined, with `out` untouched, when no quote closes it.
 */
function readQuotedField(text: string, start: number, delim: number, out: QuotedField): string | undefined {
  const n = text.length;
  let j = start + 1;
  let value = "";
  let closed = false;
  while (j < n) {
    const q = text.indexOf('"', j);
    if (q < 0) break;
    value += text.slice(j, q);
    if (text.charCodeAt(q + 1) === QUOTE) {
      value += '"';
      j = q + 2;
      continue;
    }
    j = q + 1;
    closed = true;
    break;
  }
  if (!closed) return undefined;
  out.lineBreaks = countLineBreaks(text, start, j);
  let k = j;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === delim || c === CR || c === LF) break;
    k++;
  }
  out.end = k;
  return value + text.slice(j, k);
}

/** Line breaks (LF, CRLF or a lone CR, each counted once) in text[from, to). */
function countLineBreaks(text: string, from: number, to: number): number {
  let count = 0;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c === LF || (c === CR && text.charCodeAt(k + 1) !== LF)) count++;
  }
  return count;
}

/**
 * The unquoted field starting at text[start], up to the next delimiter or line end. Most are short and repeat (option
 * labels), so they come from the table of recent values; the hash for it is taken in the same pass.
 */
function readUnquotedField(text: string, start: number, delim: number, table: string[]): string {
  const n = text.length;
  let k = start;
  let hash = 0;
  while (k < n) {
    const c = text.charCodeAt(k);
    if (c === delim || c === CR || c === LF) break;
    hash = (Math.imul(hash, 31) + c) | 0;
    k++;
  }
  return k === start ? "" : k - start > INTERN_MAX ? text.slice(start, k) : interned(text, start, k, hash, table);
}

/** Appends a finished record, its array fitted to its `fields` cells, with the lines it starts and ends on. */
function pushRecord(records: CsvRecords, row: string[], fields: number, startLine: number, endLine: number): void {
  if (row.length !== fields) row.length = fields;
  records.rows.push(row);
  records.lines.push(startLine);
  records.endLines.push(endLine);
}

export function parseCsvText(text: string, delimiter = detectDelimiter(text)): string[][] {
  return parseCsvRecords(text, delimiter).rows;
}

/**
 * Quotes a value for CSV output. A value a spreadsheet would run as a formula (leading = + - @, their full-width
 * forms, or a tab/CR, also after leading spaces) is prefixed with ' so it stays text; plain numbers are left alone.
 * A value with a semicolon is quoted too: Excel in locales whose list separator is ";" splits on it.
 */
export function csvCell(value: unknown): string {
  let s = value === null || value === undefined ? "" : String(value);
  if (/^[\s\u3000]*[=+\-@＝＋－＠]|^[\t\r\n]/u.test(s) && !/^-?\d+(\.\d+)?$/.test(s)) s = `'${s}`;
  return /[",;\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(header: string[], rows: unknown[][]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(",")).join("\n") + "\n";
}
