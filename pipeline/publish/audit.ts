// The disclosure audit: reads every file a build publishes, together, the way an attacker with the site and the
// roster would, and fails the build when any group of fewer than minGroupSize people can be read or derived.
// It does not trust the marts: it sees only the published files (through their contracts, files.ts) and checks
//   small_group        a count, or the number who answered something, between 1 and k − 1;
//   two_counts         two different counts for one group and wave (their difference describes the few between);
//   shown_and_hidden   a group hidden in one place and shown in another (one pattern per wave, everywhere);
//   figure_without_count  a figure about a group whose count is published nowhere (its size cannot be vouched for);
//   two_values         one figure published with two values (two roundings of one number narrow it down);
//   residual           a total minus its shown parts (category − units, 全体 − categories, 全体 − answers of an
//                      attribute) leaving between 1 and k − 1 people, or one single hidden unit or category; the
//                      message gives what the subtraction yields (the pool's count and index);
//   precision          a figure with more decimals than the pages print (the road back to sums of squares);
//   index_vs_answers   a group's index on a scale that is not what its published item counts give (the mean of all
//                      answers): the difference is what the few who skipped an item answered on the others;
//   presence           a table that lists units (or categories, or an attribute's answers) but not all of them;
//   respondent_level   a respondent id, an IP address or a submission time in a data file;
//   contract           a data file with no contract, or one that does not match it.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { hasAtMostDigits } from "../contracts/precision.ts";
import { ContractError, parsePublished } from "./files.ts";
import { FactSink, type FileFacts, type Observation, type ScaleItems } from "./observations.ts";
import { ALL, ALL_GROUP } from "../contracts/common.ts";

export interface AuditContext {
  minGroupSize: number;
  /** The roster: which units make up which category. */
  units: { code: string; category: string }[];
  /** Every attribute grouping's answers (身份 …), as the codebook lists them. */
  attributes: Map<string, string[]>;
}

export type Rule =
  | "small_group"
  | "two_counts"
  | "shown_and_hidden"
  | "figure_without_count"
  | "two_values"
  | "residual"
  | "precision"
  | "index_vs_answers"
  | "presence"
  | "respondent_level"
  | "contract";

export interface Finding {
  rule: Rule;
  message: string;
  file?: string;
  wave?: number;
  grouping?: string;
  group?: string;
  measure?: string;
}

const gkey = (wave: number, grouping: string, group: string) => `${wave}\u0000${grouping}\u0000${group}`;
const where = (o: { wave: number; grouping: string; group: string }) => `${o.wave} 年 · ${o.grouping} · ${o.group}`;

/** Checks the facts of every published file together. */
export function auditFacts(files: FileFacts[], ctx: AuditContext): Finding[] {
  const k = ctx.minGroupSize;
  const findings: Finding[] = [];
  const observations = files.flatMap((f) => f.observations);

  // Counts, the number who answered each measure, and figures, per group and wave.
  const counts = new Map<string, { o: Observation; n: number }[]>();
  const hiddenAt = new Map<string, Observation>();
  const answers = new Map<string, Map<string, number>>();
  const figures = new Map<string, Map<string, number>>();
  const shownAt = new Map<string, Observation>();
  for (const o of observations) {
    const g = gkey(o.wave, o.grouping, o.group);
    if (o.kind === "count") {
      if (o.n === null) hiddenAt.set(g, o);
      else {
        counts.set(g, [...(counts.get(g) ?? []), { o, n: o.n }]);
        shownAt.set(g, o);
      }
      if (o.n !== null && o.n > 0 && o.n < k)
        findings.push({
          rule: "small_group",
          message: `${o.file}：${where(o)} 的人数为 ${o.n}，少于 ${k}`,
          ...pick(o)
        });
    } else if (o.kind === "answers") {
      if (o.n === null) continue;
      if (o.n > 0 && o.n < k)
        findings.push({
          rule: "small_group",
          message: `${o.file}：${where(o)} 中作答“${o.measure}”的有 ${o.n} 人，少于 ${k}`,
          ...pick(o),
          measure: o.measure
        });
      const m = answers.get(o.measure) ?? new Map<string, number>();
      m.set(g, o.n);
      answers.set(o.measure, m);
      shownAt.set(g, shownAt.get(g) ?? o);
    } else if (o.value !== null) {
      if (!hasAtMostDigits(o.value, o.digits))
        findings.push({
          rule: "precision",
          message: `${o.file}：${where(o)} 的 ${o.measure} = ${o.value}，多于 ${o.digits} 位小数`,
          ...pick(o),
          measure: o.measure
        });
      const m = figures.get(o.measure) ?? new Map<string, number>();
      const before = m.get(g);
      if (before !== undefined && before !== o.value)
        findings.push({
          rule: "two_values",
          message: `${where(o)} 的 ${o.measure} 有两个数值：${before} 与 ${o.value}（${o.file}）`,
          ...pick(o),
          measure: o.measure
        });
      m.set(g, o.value);
      figures.set(o.measure, m);
      shownAt.set(g, shownAt.get(g) ?? o);
    }
  }

  const countOf = new Map<string, number>();
  for (const [g, list] of counts) {
    const values = [...new Set(list.map((x) => x.n))];
    if (values.length > 1) {
      const o = list[0].o;
      findings.push({
        rule: "two_counts",
        message: `${where(o)} 发布了不同的人数 ${values.join("、")}（${[...new Set(list.map((x) => x.o.file))].join("、")}）：其差是少数人的人数`,
        ...pick(o)
      });
    }
    countOf.set(g, values[0]);
  }
  for (const [g, o] of shownAt) {
    const hidden = hiddenAt.get(g);
    if (hidden)
      findings.push({
        rule: "shown_and_hidden",
        message: `${where(o)} 在 ${hidden.file} 中隐去，却在 ${o.file} 中显示`,
        ...pick(o)
      });
    else if (!countOf.has(g))
      findings.push({
        rule: "figure_without_count",
        message: `${o.file}：发布了 ${where(o)} 的数字，但任何文件都没有该群体的人数，无法确认其不少于 ${k} 人`,
        ...pick(o)
      });
  }

  findings.push(...residuals(countOf, answers, figures, ctx));
  findings.push(...indexAgainstAnswers(files));
  findings.push(...presence(files, ctx));
  return findings;
}

/**
 * Every published index of a scale, in a group whose item counts are published too, must be the mean of the answers
 * those counts give (to the index's rounding): anything else in it is information about the respondents who skipped
 * an item, which the counts and the index together would reveal (the attack: with one skipper, their answer).
 */
function indexAgainstAnswers(files: FileFacts[]): Finding[] {
  const counts = new Map<string, number[] | null>();
  for (const c of files.flatMap((f) => f.itemCounts))
    counts.set(`${gkey(c.wave, c.grouping, c.group)}\u0000${c.item}`, c.counts);
  const scales = new Map(files.flatMap((f) => f.scales).map((s) => [s.scale, s]));
  const findings: Finding[] = [];
  // Every index as each file publishes it (two files with two values are reported by two_values as well).
  for (const o of files.flatMap((f) => f.observations)) {
    if (o.kind !== "figure" || o.value === null || !o.measure.startsWith("index:")) continue;
    const scale = scales.get(o.measure.slice("index:".length));
    const fromCounts =
      scale && indexFromCounts(scale, (item) => counts.get(`${gkey(o.wave, o.grouping, o.group)}\u0000${item}`));
    if (fromCounts == null || Math.abs(fromCounts - o.value) <= 0.05 + 1e-9) continue;
    findings.push({
      rule: "index_vs_answers",
      message: `${o.file}：${where(o)} 的 ${o.measure} = ${o.value}，而其各题作答人数给出 ${fromCounts.toFixed(2)}：两者之差泄露了跳答者的作答`,
      ...pick(o),
      measure: o.measure
    });
  }
  return findings;
}

/** The 0–100 index of all answers the items' counts give; null when an item is hidden or nobody answered. */
function indexFromCounts(scale: ScaleItems, countsOf: (item: string) => number[] | null | undefined): number | null {
  let sum = 0;
  let answers = 0;
  for (const item of scale.items) {
    const c = countsOf(item.code);
    if (c === null) return null; // hidden in this group: nothing to compare with
    if (c === undefined) continue; // not asked in this wave
    c.forEach((count, k) => {
      const raw = scale.min + k;
      sum += count * (item.reverse ? scale.min + scale.max - raw : raw);
      answers += count;
    });
  }
  return answers === 0 ? null : ((sum / answers - scale.min) / (scale.max - scale.min)) * 100;
}

const pick = (o: Observation) => ({ file: o.file, wave: o.wave, grouping: o.grouping, group: o.group });

/** Totals minus their shown parts, for the count and for every "answered" measure, in every wave. */
function residuals(
  countOf: Map<string, number>,
  answers: Map<string, Map<string, number>>,
  figures: Map<string, Map<string, number>>,
  ctx: AuditContext
): Finding[] {
  const k = ctx.minGroupSize;
  const findings: Finding[] = [];
  const waves = new Set<number>();
  for (const g of countOf.keys()) waves.add(Number(g.split("\u0000")[0]));
  const categories = [...new Set(ctx.units.map((u) => u.category))];
  const measures: [string, Map<string, number>][] = [["count", countOf], ...answers];

  for (const wave of waves)
    for (const [measure, known] of measures) {
      const n = (grouping: string, group: string) => known.get(gkey(wave, grouping, group));
      const check = (
        parent: { grouping: string; group: string },
        parts: { grouping: string; group: string }[],
        total: number,
        needTwo: boolean,
        label: string
      ) => {
        const shown = parts.filter((p) => n(p.grouping, p.group) !== undefined);
        const hidden = parts.filter((p) => n(p.grouping, p.group) === undefined);
        const rest = total - shown.reduce((s, p) => s + n(p.grouping, p.group)!, 0);
        if (rest === 0) return;
        const tooFew = rest < k;
        const single = needTwo && hidden.length < 2 && parts.length >= 2;
        if (!tooFew && !single) return;
        const derived = measure === "count" ? poolIndices(wave, parent, shown, rest, countOf, figures) : "";
        findings.push({
          rule: "residual",
          message: `${wave} 年 · ${parent.group}（${measure}）减去已显示的${label}，余下 ${rest} 人${tooFew ? `（少于 ${k}）` : ""}${single ? `，只属于 ${hidden.length} 个隐去的${label}（${hidden.map((h) => h.group).join("、")}）` : ""}${derived}`,
          wave,
          grouping: parent.grouping,
          group: parent.group,
          measure
        });
      };
      const all = n(ALL, ALL_GROUP);
      for (const category of categories) {
        const total = n("unit_category", category);
        if (total === undefined) continue;
        const units = ctx.units
          .filter((u) => u.category === category)
          .map((u) => ({ grouping: "unit", group: u.code }));
        check({ grouping: "unit_category", group: category }, units, total, true, "单位");
      }
      if (all !== undefined) {
        // 全体 minus the shown categories, and minus the shown units of hidden categories.
        const hiddenCategories = categories.filter((c) => n("unit_category", c) === undefined);
        const shownUnitsOfHidden = ctx.units.filter(
          (u) => hiddenCategories.includes(u.category) && n("unit", u.code) !== undefined
        );
        const parts = [
          ...categories.map((c) => ({ grouping: "unit_category", group: c })),
          ...shownUnitsOfHidden.map((u) => ({ grouping: "unit", group: u.code }))
        ];
        if (categories.length) check({ grouping: ALL, group: ALL_GROUP }, parts, all, true, "单位类别");
        for (const [grouping, options] of ctx.attributes) {
          if (!options.some((o) => n(grouping, o) !== undefined)) continue; // the attribute is not published
          check(
            { grouping: ALL, group: ALL_GROUP },
            options.map((o) => ({ grouping, group: o })),
            all,
            false,
            `“${grouping}”选项`
          );
        }
      }
    }
  return findings;
}

/** What a residual yields besides its count: the pool's index on each scale both the total and its parts publish. */
function poolIndices(
  wave: number,
  parent: { grouping: string; group: string },
  shown: { grouping: string; group: string }[],
  rest: number,
  countOf: Map<string, number>,
  figures: Map<string, Map<string, number>>
): string {
  const derived: string[] = [];
  for (const [measure, values] of figures) {
    if (!measure.startsWith("index:")) continue;
    const total = values.get(gkey(wave, parent.grouping, parent.group));
    const parentN = countOf.get(gkey(wave, parent.grouping, parent.group));
    if (total === undefined || parentN === undefined) continue;
    let sum = total * parentN;
    let complete = true;
    for (const p of shown) {
      const v = values.get(gkey(wave, p.grouping, p.group));
      const m = countOf.get(gkey(wave, p.grouping, p.group));
      if (v === undefined || m === undefined) complete = false;
      else sum -= v * m;
    }
    if (complete && rest > 0) derived.push(`${measure.slice(6)} ≈ ${(sum / rest).toFixed(1)}`);
    if (derived.length === 3) break;
  }
  return derived.length ? `；由此可推算这些人的指数：${derived.join("，")}…` : "";
}

/** Every table that lists units (categories, an attribute's answers) lists all of them, in every wave it covers. */
function presence(files: FileFacts[], ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const union = new Map<string, { route: string; wave: number; grouping: string; groups: Set<string> }>();
  for (const l of files.flatMap((f) => f.listings)) {
    const key = `${l.route}\u0000${l.wave}\u0000${l.grouping}`;
    if (!union.has(key)) union.set(key, { route: l.route, wave: l.wave, grouping: l.grouping, groups: new Set() });
    for (const g of l.groups) union.get(key)!.groups.add(g);
  }
  const universe = (grouping: string): string[] | undefined =>
    grouping === "unit"
      ? ctx.units.map((u) => u.code)
      : grouping === "unit_category"
        ? [...new Set(ctx.units.map((u) => u.category))]
        : ctx.attributes.get(grouping);
  for (const l of union.values()) {
    const expected = universe(l.grouping);
    if (!expected) continue;
    const missing = expected.filter((g) => !l.groups.has(g));
    if (missing.length)
      findings.push({
        rule: "presence",
        message: `${l.route}：${l.wave} 年列出了部分${l.grouping === "unit" ? "单位" : "群体"}，缺少 ${missing.slice(0, 5).join("、")}${missing.length > 5 ? ` 等 ${missing.length} 个` : ""}（有无记录本身就是人数信息）`,
        file: l.route,
        wave: l.wave,
        grouping: l.grouping
      });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------------------------------
// Over a built site.

const RESPONDENT_ID = /(?<![0-9a-z.])[0-9a-f]{12,64}-\d{1,7}(?![\d.])/;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/;
const WJX_TIME = /(?<!\d)(?:19|20)\d{2}\/\d{1,2}\/\d{1,2} {1,2}\d{1,2}:\d{2}(?::\d{2})?(?!\d)/;

/** A respondent-level trace in a JSON file's text (Arrow files are checked through their rows). */
function respondentLevel(path: string, text: string): Finding[] {
  const found: Finding[] = [];
  for (const [name, pattern] of [
    ["答卷编号", RESPONDENT_ID],
    ["IP 地址", IPV4],
    ["提交时间", WJX_TIME]
  ] as const) {
    const m = text.match(pattern);
    if (m) found.push({ rule: "respondent_level", message: `${path}：含有${name}样式的内容“${m[0]}”`, file: path });
  }
  return found;
}

/** The data files of a build: `_file/data/**`, each with its path under data/ (Framework's content hash removed). */
export function publishedDataFiles(distDir: string): { path: string; absolute: string }[] {
  const root = join(distDir, "_file", "data");
  const walk = (dir: string): string[] => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
    return entries.flatMap((e) => (e.isDirectory() ? walk(join(dir, e.name)) : [join(dir, e.name)]));
  };
  return walk(root).map((absolute) => ({
    absolute,
    path: relative(root, absolute)
      .split(sep)
      .join("/")
      .replace(/\.[0-9a-f]{8}(\.[A-Za-z0-9]+)$/, "$1")
  }));
}

/** Reads files (path under data/ → bytes) through their contracts and audits them together. */
export function auditFiles(files: { path: string; bytes: Uint8Array }[], ctx: AuditContext): Finding[] {
  const findings: Finding[] = [];
  const facts: FileFacts[] = [];
  for (const { path, bytes } of files) {
    if (path.endsWith(".json")) findings.push(...respondentLevel(path, new TextDecoder().decode(bytes)));
    try {
      const parsed = parsePublished(path, bytes);
      const sink = new FactSink(path, parsed.file.route);
      parsed.file.read(parsed.value, sink);
      if (parsed.file.format === "arrow") findings.push(...respondentLevel(path, JSON.stringify(parsed.value)));
      facts.push(sink);
    } catch (e) {
      if (!(e instanceof ContractError)) throw e;
      findings.push({ rule: "contract", message: e.message, file: path });
    }
  }
  return [...findings, ...auditFacts(facts, ctx)];
}

/** Audits a built site (dist/ or a build folder of the refresh). */
export function auditSite(distDir: string, ctx: AuditContext): Finding[] {
  return auditFiles(
    publishedDataFiles(distDir).map((f) => ({ path: f.path, bytes: readFileSync(f.absolute) })),
    ctx
  );
}

/** The findings as the build prints them: at most `limit` lines, then how many more. */
export function describeFindings(findings: Finding[], limit = 20): string {
  const lines = findings.slice(0, limit).map((f) => `- [${f.rule}] ${f.message}`);
  if (findings.length > limit) lines.push(`- …… 另有 ${findings.length - limit} 处`);
  return lines.join("\n");
}
