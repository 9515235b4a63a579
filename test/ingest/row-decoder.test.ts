// The row decoder remembers, per column, what a raw cell decodes to, and skips the whole-record schema parse of a row
// that provably passes it. Neither may change a result: the same rows of hostile cells, decoded by one decoder
// (memo warm from earlier rows), by a fresh decoder per row, and by a decoder doing neither, give the same
// respondents (answers in the same order) and the same errors (columns, reasons, order).
import { describe, expect, it } from "vitest";
import { loadCodebook, loadRoster } from "../../pipeline/codebook/load.ts";
import { mapColumns } from "../../pipeline/ingest/map-columns.ts";
import { createRowDecoder, type RowContext, type RowDecoderOptions } from "../../pipeline/ingest/parse-row.ts";
import type { Cell } from "../../pipeline/ingest/read-table.ts";
import { MINI, NUMBER_HEADER, TEXT_HEADER, numberModeRows, textModeRows } from "../helpers/mini-exports.ts";

const codebook = loadCodebook(MINI.codebook);
const roster = loadRoster(MINI.roster);

/** A deterministic generator, so that a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  const next = () => (s = (s * 1103515245 + 12345) % 2147483648) / 2147483648;
  return { next, pick: <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] };
}

const SKIPS: Cell[] = [
  "",
  " ",
  "(跳过)",
  "（跳过）",
  "跳过",
  "(空)",
  "N/A",
  "NULL",
  "-2",
  "-3",
  -2,
  -3,
  null,
  "\u3000"
];
const LIKERT: Cell[] = [
  "非常不同意",
  "不同意",
  "一般",
  "同意",
  "非常同意",
  " 同意 ",
  "同意。",
  "同 意",
  "“同意”",
  "比较同意",
  "1",
  "5",
  "５",
  "+3",
  "0",
  "7",
  "3.5",
  3,
  0,
  -0,
  9,
  3.5,
  1e20,
  "99999999999999999999",
  true,
  "\u0000同意",
  "同意〖x〗",
  "长".repeat(150),
  Number.NaN
];
const ROLE: Cell[] = [
  "党支部书记",
  "专职党务干部",
  "兼职党务干部",
  "党支部书记 ",
  "其他〖foo〗",
  "党支部书记〖x〗",
  "1",
  "3",
  "4",
  "0",
  2,
  7,
  "abc"
];
const UNIT: Cell[] = ["市委办公室", "市税务局", "市委党校", " 市委党校 ", "U002", "1", 3, 4, 0, "市教育局（已撤并）"];
const CARRIERS: Cell[] = [
  "主题大讲堂",
  "微党课",
  "主题大讲堂┋微党课",
  "微党课|主题大讲堂",
  "主题大讲堂┋其他【请注明】〖读书会〗",
  "读报",
  "微党课┋读报┋",
  "┋",
  "1"
];
const NUMBERS: Cell[] = [
  "3",
  "３次",
  "5个",
  "abc",
  101,
  -1,
  "1e3",
  "Infinity",
  " 7 ",
  7,
  -0,
  1e308,
  "12.5",
  Number.POSITIVE_INFINITY,
  "9".repeat(400)
];
const TEXTS: Cell[] = ["建议加强培训", "无", "<script>", "a\u0001b", "字".repeat(10001), "y".repeat(120)];
const ZERO_ONE: Cell[] = ["0", "1", "2", "x", 1, 0, -0, true, " 1 ", "１", 0.5];
const TIMES: Cell[] = [
  "2019/10/12 9:31:05",
  "2019-02-30 10:00",
  "2019年10月12日",
  43000,
  1e9,
  "昨天",
  "2019/13/01 1:00",
  "２０１９/10/12 9:31"
];
const DURATIONS: Cell[] = ["325秒", "5分20秒", "1时2分3秒", -5, "abc", "9".repeat(400) + "秒", 12.5, "0秒"];

/**
 * Rows for a header: most cells good (so that many rows are accepted and the memo is warm), some rows hostile in
 * a few cells, some in many; short and long rows; duplicate columns that mostly agree.
 */
function hostileRows(header: string[], count: number, seed: number): Cell[][] {
  const { roles } = mapColumns(
    header,
    codebook,
    roster.map((u) => u.name)
  );
  const { next, pick } = random(seed);
  const rows: Cell[][] = [];
  for (let n = 1; n <= count; n++) {
    const hostility = pick([0, 0, 0.01, 0.05, 0.3]);
    const bad = () => next() < hostility;
    const cells = roles.map((role): Cell => {
      if (next() < hostility / 2) return pick(SKIPS);
      if (role.kind === "meta")
        switch (role.field) {
          case "id":
            return bad() ? pick<Cell>([n - 1, "abc", -1, 1e20, "99999999999999999999", 3.5, "", "１２"]) : n;
          case "submittedAt":
            return bad() ? pick(TIMES) : "2019/10/12 9:31:05";
          case "duration":
            return bad() ? pick(DURATIONS) : pick(["325秒", "45秒"]);
          default:
            return pick(["手机提交", "", null]);
        }
      if (role.kind === "option") return bad() ? pick(ZERO_ONE) : pick(["0", "1"]);
      if (role.kind !== "question") return pick(LIKERT.slice(0, 5));
      const q = role.question;
      switch (q.type) {
        case "likert":
          return bad() ? pick(LIKERT) : pick(LIKERT.slice(0, 5));
        case "single":
          return q.options === "roster"
            ? bad()
              ? pick(UNIT)
              : pick(UNIT.slice(0, 3))
            : bad()
              ? pick(ROLE)
              : pick(ROLE.slice(0, 3));
        case "multiple":
          return bad() ? pick(CARRIERS) : pick(CARRIERS.slice(0, 4));
        case "number":
          return bad() ? pick(NUMBERS) : pick(["3", "5", 7]);
        case "text":
          return bad() ? pick(TEXTS) : pick(["", "无", "建议加强培训"]);
      }
    });
    roles.forEach((role, i) => {
      if (role.kind === "duplicate" && !bad()) cells[i] = cells[role.of];
    });
    if (bad()) cells.length = Math.max(0, cells.length + Math.floor(next() * 5) - 3);
    rows.push(cells);
  }
  return rows;
}

/** A decode result as plain data: the answers as [code, answer] pairs in order (toEqual ignores a Map's order). */
function plain(result: ReturnType<ReturnType<typeof createRowDecoder>["decode"]>) {
  const { respondent, errors } = result;
  return { respondent: respondent && { ...respondent, answers: [...respondent.answers] }, errors };
}

function contextFor(header: string[]): RowContext {
  const { roles } = mapColumns(
    header,
    codebook,
    roster.map((u) => u.name)
  );
  return { codebook, roster, roles, header, date1904: false };
}

// A header with a question answered both by its own column and by 0/1 columns, a question column twice, 序号 twice
// and an unknown column.
const MIXED_HEADER = [
  ...TEXT_HEADER,
  "第5题(微党课)",
  "第5题(主题大讲堂)",
  "3、本单位党建考核指标结合了本行业业务特点",
  "序号",
  "未知列"
];

describe.each([
  ["text mode", TEXT_HEADER, textModeRows().rows as Cell[][]],
  ["number mode", NUMBER_HEADER, numberModeRows().rows as Cell[][]],
  ["mixed and duplicate columns", MIXED_HEADER, [] as Cell[][]],
  ["no 序号 column", TEXT_HEADER.slice(1), [] as Cell[][]]
])("the row decoder on hostile rows, %s", (_, header, fixtureRows) => {
  const ctx = contextFor(header);
  // The sample rows twice (the second time from the memo), then random ones.
  const rows = [...fixtureRows, ...fixtureRows, ...hostileRows(header, 3000, header.length * 7919)];
  const decodeAll = (options: RowDecoderOptions) => {
    const decoder = createRowDecoder(ctx, options);
    return rows.map((cells) => plain(decoder.decode(cells)));
  };
  const reference = decodeAll({ memo: false, skipValidated: false }); // every cell decoded, every row parsed by zod

  it("decodes a mix of accepted and rejected rows with many kinds of reasons", () => {
    const accepted = reference.filter((r) => r.respondent).length;
    expect(accepted).toBeGreaterThan(rows.length / 4);
    expect(rows.length - accepted).toBeGreaterThan(rows.length / 10);
    const kinds = new Set(reference.flatMap((r) => r.errors.map((e) => e.reason.replace(/[“(（].*$/su, ""))));
    expect(kinds.size).toBeGreaterThanOrEqual(8);
  });

  it("gives the same results with one decoder, memo and schema skip on, as without them", () => {
    expect(decodeAll({})).toEqual(reference);
  });

  it("gives the same results with the memo only and with the schema skip only", () => {
    expect(decodeAll({ memo: true, skipValidated: false })).toEqual(reference);
    expect(decodeAll({ memo: false, skipValidated: true })).toEqual(reference);
  });

  it("gives the same results with a fresh decoder for every row", () => {
    const sample = rows.filter((_, i) => i % 10 === 0);
    const fresh = sample.map((cells) => plain(createRowDecoder(ctx).decode(cells)));
    expect(fresh).toEqual(reference.filter((_, i) => i % 10 === 0));
  });

  it("returns the same answers when a row is decoded again, and shares no mutable answer between rows", () => {
    const decoder = createRowDecoder(ctx);
    const first = rows.map((cells) => decoder.decode(cells));
    const again = rows.map((cells) => plain(decoder.decode(cells)));
    expect(again).toEqual(first.map(plain));
    const unfrozen = first.flatMap((r) =>
      [...(r.respondent?.answers.values() ?? [])].filter((a) => !Object.isFrozen(a))
    );
    expect(new Set(unfrozen).size).toBe(unfrozen.length);
  });
});

describe("the row decoder's memo bounds", () => {
  it("decodes a column with more distinct cells than the memo holds the same as without the memo", () => {
    const ctx = contextFor(TEXT_HEADER);
    const rows: Cell[][] = Array.from({ length: 6000 }, (_, i) => [
      i + 1,
      "2019/10/12 9:31:05",
      "325秒",
      "手机提交",
      "直接访问",
      "",
      "市委党校",
      "党支部书记",
      "同意",
      "一般",
      "微党课",
      i % 3 === 0 ? `${i}次` : i % 3 === 1 ? String(i % 150) : `x${i}`, // distinct numbers, some out of range, some not numbers
      `意见${i}` // distinct free text
    ]);
    const memo = createRowDecoder(ctx);
    const none = createRowDecoder(ctx, { memo: false, skipValidated: false });
    expect(rows.map((cells) => plain(memo.decode(cells)))).toEqual(rows.map((cells) => plain(none.decode(cells))));
  });
});
