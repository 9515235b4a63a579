// Provenance of a build: when its data was refreshed, from which files (with SHA-256) and which codebook version, and
// whether any of them is the seeded sample's (then every page carries the 示例数据 banner, the config's header).
// Written as dist/manifest.json by every build and shown in every page's footer, in Beijing time.
import { existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadCodebook } from "../codebook/load.ts";
import { paths } from "../io/config.ts";
import { readManifest } from "../store/store.ts";
import { sha256Of } from "../io/trace.ts";
import { sampleChecksums } from "../sample/write.ts";

export interface Provenance {
  refreshedAt: string;
  codebook: { id: string; version: string; sha256: string };
  roster: { sha256: string } | null;
  indicators: { sha256: string } | null;
  assessmentScores: { sha256: string } | null;
  files: { name: string; sha256: string; wave: number; kind: string; rows: number; accepted: number; quarantined: number; ingestedAt: string }[];
  /**
   * Whether the report shows the seeded sample (`npm run sample`, or the first `npm run dev|build` without exports):
   * a survey file in the store or the assessment scores is one the generator's record lists with the same checksum.
   */
  sample: boolean;
}

export function provenance(): Provenance {
  const p = paths();
  const codebook = loadCodebook(p.codebook);
  const manifest = readManifest(p.store);
  const hashed = (file: string) => (existsSync(file) ? { sha256: sha256Of(file) } : null);
  const assessmentScores = hashed(p.assessmentScores);
  // The generator's record lives in the folder it wrote to: data/surveys, or the refresh's inbox.
  const sampled = new Set([...sampleChecksums(p.surveys), ...sampleChecksums(p.inbox)]);
  const sample =
    manifest.files.some((f) => sampled.has(f.sha256)) ||
    (assessmentScores !== null && sampled.has(assessmentScores.sha256));
  return {
    refreshedAt: manifest.updatedAt,
    codebook: { id: codebook.id, version: codebook.version, sha256: sha256Of(p.codebook) },
    roster: hashed(p.roster),
    indicators: hashed(p.indicators),
    assessmentScores,
    files: manifest.files.map((f) => ({ name: f.name, sha256: f.sha256, wave: f.wave, kind: f.kind, rows: f.rows, accepted: f.accepted, quarantined: f.quarantined, ingestedAt: f.ingestedAt })),
    sample
  };
}

export function writeProvenanceManifest(distDir: string, extra: Record<string, unknown> = {}): Provenance {
  const value = provenance();
  writeFileSync(join(distDir, "manifest.json"), JSON.stringify({ ...value, ...extra }, null, 2) + "\n");
  return value;
}

/** When the data was refreshed, for the running foot of printed pages; null before any ingest or without a store. */
export function dataRefreshedAt(): string | null {
  try {
    const at = provenance().refreshedAt;
    return at.startsWith("1970") ? null : at;
  } catch {
    return null;
  }
}

/** The footer line every page carries (Framework's footer option, evaluated at build time). */
export function provenanceFooter(): string {
  let line: string;
  try {
    const p = provenance();
    const when = p.refreshedAt.startsWith("1970") ? "尚未导入数据" : `数据更新于 ${beijingTime(p.refreshedAt)}（北京时间）`;
    const waves = [...new Set(p.files.filter((f) => f.accepted > 0).map((f) => f.wave))].sort();
    line = `${when} · 来自 ${p.files.length} 个导出文件（${waves.join("、")} 年度；文件名与 SHA-256 校验和见“数据质量”页和 manifest.json）· 码本 ${p.codebook.id} 版本 ${p.codebook.version}`;
  } catch (e) {
    line = `数据来源信息不可用：${(e as Error).message}`;
  }
  return `<div class="provenance">${escapeText(line)}</div><div>一盘棋 · 党建与业务融合调查分析。数据经汇总处理，样本量不足的群体已隐去，不含任何个人作答记录。</div>`;
}

/** A moment as readers think of it, whatever the build machine's zone: "2026年12月5日 09:42" (Asia/Shanghai). */
export function beijingTime(iso: string): string {
  return new Date(iso).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", dateStyle: "long", timeStyle: "short", hourCycle: "h23" });
}

/**
 * The banner every page carries when the report shows the seeded sample (Framework's `header`), or "" for a
 * steward's own data: a leader must never mistake the generated figures for real ones.
 */
export function sampleBanner(): string {
  let sample: boolean;
  try {
    sample = provenance().sample;
  } catch {
    sample = false;
  }
  return sample
    ? `<div class="sample-banner" role="note"><b>示例数据</b><span>本站的数字由程序随机生成（npm run sample），用于试用和演示，不代表任何真实单位或个人。</span></div>`
    : "";
}

/**
 * Text for an element's content, never an attribute (quotes are left as they are): escaped as Framework writes it back
 * through jsdom (`&amp;`, `&lt;`, `&gt;`, `&nbsp;`), so that the footer a build records is the footer of its pages
 * (data-swap.ts replaces it there).
 */
export function escapeText(s: string): string {
  const names: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\u00a0": "&nbsp;" };
  return s.replace(/[&<>\u00a0]/g, (c) => names[c]);
}
