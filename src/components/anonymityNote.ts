// The note on every page about what the site publishes and how respondents are protected, in the words of
// docs/anonymity.md (one text for every page, so no page promises more or less than another).
import { formatDateTime } from "./format.js";

export interface AnonymityNoteOptions {
  minGroupSize: number;
  refreshedAt: string;
  /** The codebook's version, when the page knows it. */
  version?: string | null;
  /** One more sentence about this page (e.g. that the driver analysis publishes coefficients only). */
  extra?: string | null;
  document?: Document;
}

/** The guarantees, as a list of plain sentences (also used by tests and the 方法说明 page). */
export function anonymityPromises(minGroupSize: number): string[] {
  return [
    "本站只发布汇总数字，不含任何人的答卷、答题时间或 IP 地址。",
    `任何一个数字背后都不少于 ${minGroupSize} 人；不足 ${minGroupSize} 人的群体标为“样本量不足，已隐去”。`,
    `为防止用合计减去已公布的部分推算出少数人，较小的单位会几个一起隐去（合计不少于 ${minGroupSize} 人，显示为“本类其他单位”）；各页面、各数据文件隐去的单位完全一致。`,
    "每个群体每轮只公布一个人数（有效答卷数）；答题过快等不计分的答卷只按整轮调查统计，不按单位列出。"
  ];
}

export function AnonymityNote({
  minGroupSize,
  refreshedAt,
  version = null,
  extra = null,
  document = globalThis.document
}: AnonymityNoteOptions): HTMLDivElement {
  const note = document.createElement("div");
  note.className = "note anonymity-note";
  note.setAttribute("label", "关于数据与匿名保护");
  const text = [
    ...anonymityPromises(minGroupSize),
    ...(extra ? [extra] : []),
    `数据更新于 ${formatDateTime(refreshedAt)}${version ? `，问卷版本 ${version}` : ""}。`
  ];
  const p = document.createElement("p");
  p.textContent = text.join("");
  note.appendChild(p);
  return note;
}
