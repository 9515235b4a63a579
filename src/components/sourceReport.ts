// The research report whose questions this site follows (../shared/seed/, docs: README.md), cited the same way on
// 概览 and 方法说明: its authors, title, journal, year and issue, as the report itself gives them at its end.

export interface SourceReport {
  /** The authoring body, and the members it names. */
  authors: string;
  members: string[];
  title: string;
  journal: string;
  year: number;
  issue: number;
}

export const SOURCE_REPORT: SourceReport = {
  authors: "石家庄市直机关工委课题组",
  members: ["戚阿东", "廖文武", "张洁", "马哲", "蔡培"],
  title: "当好“助推剂”“粘合剂”“强化剂” 形成党建与业务工作融合发展“一盘棋”",
  journal: "机关党建研究",
  year: 2019,
  issue: 9
};

/**
 * The citation in the form Chinese readers expect: 石家庄市直机关工委课题组（戚阿东、廖文武、张洁、马哲、蔡培）：
 * 《当好……“一盘棋”》，《机关党建研究》2019年第9期。
 */
export function sourceCitation(r: SourceReport = SOURCE_REPORT): string {
  const members = r.members.length ? `（${r.members.join("、")}）` : "";
  return `${r.authors}${members}：《${r.title}》，《${r.journal}》${r.year}年第${r.issue}期。`;
}

export interface SourceNoteOptions {
  /** What the page says the report is to this site, before the citation. */
  lead?: string;
  document?: Document;
}

/** The citation as a paragraph: <p class="source-report">…<cite>…</cite></p>. */
export function SourceNote({
  lead = "本站的问卷结构、分析框架和对策分类依据以下调查报告：",
  document = globalThis.document
}: SourceNoteOptions = {}): HTMLParagraphElement {
  const p = document.createElement("p");
  p.className = "source-report";
  const cite = document.createElement("cite");
  cite.textContent = sourceCitation();
  p.append(lead, cite);
  return p;
}
