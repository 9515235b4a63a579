// The publish gate of a build: the disclosure audit (audit.ts) over every data file of a finished build, with what
// an attacker knows besides the site: the roster (which unit is in which category) and the codebook's answers of
// each attribute. `npm run build` and `npm run refresh` publish a build only when this finds nothing.
import { existsSync } from "node:fs";
import { indexCodebook, loadCodebook, loadRoster } from "../codebook/load.ts";
import type { Codebook, RosterUnit } from "../codebook/schema.ts";
import { paths } from "../io/config.ts";
import { describeFindings, type AuditContext, type Finding } from "./audit.ts";

export function auditContext(codebook: Codebook, roster: readonly RosterUnit[]): AuditContext {
  const index = indexCodebook(codebook);
  const attributes = new Map<string, string[]>();
  for (const a of index.attributes) {
    if (a.attribute === "unit") continue;
    const q = codebook.questions.find((x) => x.code === a.question);
    if (q && (q.type === "single" || q.type === "multiple") && Array.isArray(q.options))
      attributes.set(
        a.attribute,
        q.options.map((o) => o.label)
      );
  }
  return {
    minGroupSize: codebook.minGroupSize,
    units: roster.map((u) => ({ code: u.code, category: u.category })),
    attributes
  };
}

/** What the attacker knows besides the site, from the project's codebook and roster (as paths() finds them). */
export function projectAuditContext(): AuditContext {
  const p = paths();
  const roster = existsSync(p.roster) ? loadRoster(p.roster) : [];
  return auditContext(loadCodebook(p.codebook), roster);
}

/** The message a refused build prints. */
export function refusal(findings: Finding[]): string {
  return `匿名保护检查未通过，站点未发布：已发布文件中有 ${findings.length} 处可能识别出少于最小群体人数的答卷人（docs/anonymity.md）：\n${describeFindings(findings)}`;
}
