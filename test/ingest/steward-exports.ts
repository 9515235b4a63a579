// Realistic exports of the mini questionnaire (test/fixtures/mini) as a data steward gets and remakes them: 30 cadres
// exported by 问卷星 (by option text, CSV with a BOM; by option number, .xlsx), the same file opened in Excel on
// Chinese Windows and saved again as CSV (GBK, CRLF, 提交答卷时间 as yyyy/m/d h:mm: the seconds are gone), a
// steward's table without a 序号 column. Every respondent has a distinct IP in 来自IP (and one IPv6), so that a test
// can look for them in what the store wrote. Two cadres (serials 5 and 6) gave identical answers.
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import * as XLSX from "@e965/xlsx";
import iconv from "iconv-lite";
import { NUMBER_HEADER, TEXT_HEADER } from "../helpers/mini-exports.ts";

export const UNITS = ["市委办公室", "市税务局", "市委党校"];
const ROLES = ["党支部书记", "专职党务干部", "兼职党务干部"];
const AGREE = ["非常不同意", "不同意", "一般", "同意", "非常同意"];
const CARRIERS = ["主题大讲堂", "微党课", "其他【请注明】"];

export interface Cadre {
  serial: number;
  /** Submission time, local, to the second. */
  time: { y: number; mo: number; d: number; h: number; mi: number; s: number };
  seconds: number;
  unit: number; // 0-based
  role: number; // 0-based
  m1: number; // 1–5
  m2: number;
  carriers: number[]; // 1-based options
  trainings: number;
  text: string;
  ip: string;
}

/** n cadres, deterministic; serial 6 answers exactly as serial 5 (another person, another minute). */
export function cadres(n = 30, year = 2019): Cadre[] {
  let x = 20191012;
  const next = (k: number) => ((x = (Math.imul(x, 1103515245) + 12345) >>> 0) >>> 8) % k;
  const out: Cadre[] = [];
  for (let serial = 1; serial <= n; serial++) {
    const at = 8 * 3600 + serial * 97 + next(30); // 97 s apart or more: never two in one minute
    const time = { y: year, mo: 10, d: 12, h: Math.floor(at / 3600), mi: Math.floor(at / 60) % 60, s: at % 60 };
    const carriers = [1, 2, 3].filter(() => next(2) === 1);
    const c: Cadre = {
      serial,
      time,
      seconds: 120 + next(600),
      unit: next(3),
      role: next(3),
      m1: 1 + next(5),
      m2: 1 + next(5),
      carriers: carriers.length ? carriers : [2],
      trainings: next(12),
      text: ["多组织实践活动", "", "加强培训", "同时要学习"][next(4)],
      ip: serial === 7 ? "240e:3b0:1234:5678::1" : `123.180.${serial}.${(serial * 37) % 250}`
    };
    if (serial === 6)
      Object.assign(c, {
        unit: out[4].unit,
        role: out[4].role,
        m1: out[4].m1,
        m2: out[4].m2,
        carriers: out[4].carriers,
        trainings: out[4].trainings,
        text: out[4].text
      });
    out.push(c);
  }
  return out;
}

const timeText = (c: Cadre, seconds = true) =>
  `${c.time.y}/${c.time.mo}/${c.time.d} ${c.time.h}:${String(c.time.mi).padStart(2, "0")}${seconds ? `:${String(c.time.s).padStart(2, "0")}` : ""}`;

const meta = (c: Cadre) => [c.serial, timeText(c), `${c.seconds}秒`, "手机提交", "直接访问", `${c.ip}(河北-石家庄)`];

/** 问卷星 按选项文本: TEXT_HEADER's columns. */
export function textRow(c: Cadre): (string | number)[] {
  const carriers = c.carriers.map((o) => (o === 3 ? "其他【请注明】〖读书会〗" : CARRIERS[o - 1])).join("┋");
  return [
    ...meta(c),
    UNITS[c.unit],
    ROLES[c.role],
    AGREE[c.m1 - 1],
    AGREE[c.m2 - 1],
    carriers,
    c.trainings,
    c.text || "(空)"
  ];
}

/** 问卷星 按选项序号: NUMBER_HEADER's columns (multiple choice as 0/1 columns). */
export function numberRow(c: Cadre): (string | number)[] {
  return [
    ...meta(c),
    c.unit + 1,
    c.role + 1,
    c.m1,
    c.m2,
    ...[1, 2, 3].map((o) => (c.carriers.includes(o) ? 1 : 0)),
    c.trainings,
    c.text || "(空)"
  ];
}

function csv(rows: (string | number | null)[][], eol = "\r\n"): string {
  const cell = (v: string | number | null) => {
    const s = v === null ? "" : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return rows.map((r) => r.map(cell).join(",")).join(eol) + eol;
}

/** As 问卷星 serves a CSV: UTF-8 with a BOM, CRLF, times to the second. */
export function writeWjxCsv(dir: string, name: string, header: string[], rows: (string | number | null)[][]): string {
  const path = join(dir, name);
  writeFileSync(path, "\uFEFF" + csv([header, ...rows]), "utf8");
  return path;
}

/** As 问卷星 serves an .xlsx (times as text, to the second). */
export function writeWjxXlsx(dir: string, name: string, header: string[], rows: (string | number | null)[][]): string {
  const path = join(dir, name);
  const book = XLSX.utils.book_new();
  XLSX.utils.book_append_sheet(book, XLSX.utils.aoa_to_sheet([header, ...rows]), "Sheet1");
  writeFileSync(path, XLSX.write(book, { type: "buffer", bookType: "xlsx" }));
  return path;
}

/**
 * The same rows after Excel on Chinese Windows opened the file and saved it again as CSV: GBK (code page 936), CRLF,
 * 提交答卷时间 reformatted as yyyy/m/d h:mm (the seconds are lost), no BOM.
 */
export function writeExcelResavedCsv(
  dir: string,
  name: string,
  header: string[],
  rows: (string | number | null)[][],
  timeColumn = 1
): string {
  const path = join(dir, name);
  const resaved = rows.map((r) =>
    r.map((v, i) =>
      i === timeColumn && typeof v === "string" ? v.replace(/^(\d+\/\d+\/\d+ \d+:\d\d):\d\d$/, "$1") : v
    )
  );
  writeFileSync(path, iconv.encode(csv([header, ...resaved]), "gbk"));
  return path;
}

export { NUMBER_HEADER, TEXT_HEADER };
