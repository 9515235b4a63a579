// Small 问卷星-style exports of the mini codebook (test/fixtures/mini), written in every container the ingest reads,
// with one row of each kind of flaw a steward meets. Each bad row says which column the ingest must blame.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import iconv from "iconv-lite";

export const MINI = {
  codebook: join(import.meta.dirname, "../fixtures/mini/codebook.json"),
  roster: join(import.meta.dirname, "../fixtures/mini/roster.csv")
};

const META = ["序号", "提交答卷时间", "所用时间", "来源", "来源详情", "来自IP"];
// Real exports carry trailing spaces and mixed-width punctuation in headers; the codebook text has neither.
export const TEXT_HEADER = [
  ...META,
  "1、您所在的单位",
  "2、您的身份 ",
  "3、本单位党建考核指标结合了本行业业务特点",
  "4、本单位党建考核只看过程和台帐,不看实际效果 ",
  "5、本单位开展过哪些活动载体",
  "6．近一年您参加培训的次数",
  "7、您的意见建议："
];

const meta = (serial: number, seconds: number | string = 325) => [
  serial,
  "2019/10/12 9:31:05",
  typeof seconds === "number" ? `${seconds}秒` : seconds,
  "手机提交",
  "直接访问",
  "123.180.12.34(河北-石家庄)"
];

export interface BadRow {
  row: number;
  column: string;
  reason: RegExp;
}

/** Rows by option text. File rows: header = 1, data from 2. */
export function textModeRows(): { rows: (string | number)[][]; accepted: number[]; bad: BadRow[] } {
  const rows: (string | number)[][] = [
    [
      ...meta(1),
      "市委办公室",
      "党支部书记",
      "同意",
      "不同意",
      "主题大讲堂┋其他【请注明】〖读书会〗",
      3,
      "建议加强培训"
    ],
    [...meta(2), "市税务局", "专职党务干部", "非常同意", "非常不同意", "微党课", 5, "(空)"],
    [...meta(3, 45), "市委党校", "兼职党务干部", "一般", "(跳过)", "主题大讲堂", 0, ""],
    [...meta(4), "市委办公室", "专职党务干部", "不同意", "同意", "主题大讲堂┋微党课", 2, "<script>alert(1)</script>"],
    [...meta(5), "市教育局（已撤并）", "党支部书记", "同意", "同意", "微党课", 1, ""],
    [...meta(6), "市税务局", "党支部书记", "很同意", "同意", "微党课", 1, ""],
    [...meta(7), "市委党校", "", "同意", "同意", "微党课", 1, ""],
    [...meta(2), "市委党校", "党支部书记", "同意", "同意", "微党课", 1, ""],
    [...meta(9), "市委党校", "党支部书记", "同意", "同意", "微党课", "很多", ""],
    ["", "", "", "", "", "", "", "", "", "", "", "", ""],
    [10, "昨天", "300秒", "手机提交", "直接访问", "", "市委党校", "党支部书记", "同意", "同意", "微党课", 1, ""],
    [...meta(11), "市委党校", "党支部书记", "同意", "同意", "读报", 1, ""],
    [...meta(12), "市委党校", "党支部书记", "同意", "同意", "微党课", 1, "", "多出来的一列"],
    [...meta(13), "市委党校", "党支部书记", "同意", "同意", "微党课", 101, ""]
  ];
  return {
    rows,
    accepted: [2, 3, 4, 5],
    bad: [
      { row: 6, column: "1、您所在的单位", reason: /不在名册/ },
      { row: 7, column: "3、本单位党建考核指标结合了本行业业务特点", reason: /无法识别的量表答案/ },
      { row: 8, column: "2、您的身份 ", reason: /必答题未作答/ },
      { row: 9, column: "序号", reason: /重复/ },
      { row: 10, column: "6．近一年您参加培训的次数", reason: /不是数字/ },
      { row: 11, column: "(整行)", reason: /空行/ },
      { row: 12, column: "提交答卷时间", reason: /无法识别的时间/ },
      { row: 13, column: "5、本单位开展过哪些活动载体", reason: /未知选项/ },
      { row: 14, column: "第14列起", reason: /多出/ },
      { row: 15, column: "6．近一年您参加培训的次数", reason: /最大值/ }
    ]
  };
}

export const NUMBER_HEADER = [
  ...META,
  "1、您所在的单位",
  "2、您的身份",
  "3、本单位党建考核指标结合了本行业业务特点",
  "4、本单位党建考核只看过程和台帐，不看实际效果",
  "第5题(主题大讲堂)",
  "第5题(微党课)",
  "第5题(其他【请注明】)",
  "6、近一年您参加培训的次数",
  "7、您的意见建议"
];

/** The same four good respondents by option number, plus an out-of-range score and a bad 0/1 cell. */
export function numberModeRows(): { rows: (string | number)[][]; accepted: number[]; bad: BadRow[] } {
  const rows: (string | number)[][] = [
    [...meta(1), 1, 1, 4, 2, 1, 0, 1, 3, "建议加强培训"],
    [...meta(2), 2, 2, 5, 1, 0, 1, 0, 5, "(空)"],
    [...meta(3, 45), 3, 3, 3, -3, 1, 0, 0, 0, ""],
    [...meta(4), 1, 2, 2, 4, 1, 1, 0, 2, "<script>alert(1)</script>"],
    [...meta(5), 1, 1, 6, 4, 1, 0, 0, 1, ""],
    [...meta(6), 1, 1, 4, 4, 2, 0, 0, 1, ""],
    [...meta(7), 4, 1, 4, 4, 1, 0, 0, 1, ""]
  ];
  return {
    rows,
    accepted: [2, 3, 4, 5],
    bad: [
      { row: 6, column: "3、本单位党建考核指标结合了本行业业务特点", reason: /超出量表范围/ },
      { row: 7, column: "第5题(主题大讲堂)", reason: /只能是 0 或 1/ },
      { row: 8, column: "1、您所在的单位", reason: /不在名册/ }
    ]
  };
}

export function tempDir(prefix = "yipanqi-test-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

function csvText(header: string[], rows: (string | number)[][]): string {
  const cell = (v: string | number) => (/[",\r\n]/.test(String(v)) ? `"${String(v).replace(/"/g, '""')}"` : String(v));
  return [header, ...rows].map((r) => r.map(cell).join(",")).join("\r\n") + "\r\n";
}

export type Container = "csv-utf8" | "csv-utf8-bom" | "csv-gbk" | "xlsx" | "xls";

/** Writes header + rows into dir in the given container; returns the path. */
export function writeExport(
  dir: string,
  name: string,
  header: string[],
  rows: (string | number)[][],
  container: Container
): string {
  const ext = container.startsWith("csv") ? "csv" : container;
  const path = join(dir, `${name}.${ext}`);
  if (container === "csv-utf8") writeFileSync(path, csvText(header, rows), "utf8");
  else if (container === "csv-utf8-bom") writeFileSync(path, "\uFEFF" + csvText(header, rows), "utf8");
  else if (container === "csv-gbk") writeFileSync(path, iconv.encode(csvText(header, rows), "gbk"));
  else {
    const sheet = XLSX.utils.aoa_to_sheet([header, ...rows]);
    const book = XLSX.utils.book_new();
    XLSX.utils.book_append_sheet(book, sheet, "Sheet1");
    writeFileSync(path, XLSX.write(book, { type: "buffer", bookType: container === "xls" ? "biff8" : "xlsx" }));
  }
  return path;
}
