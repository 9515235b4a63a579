// The disclosure audit: reads every file a build publishes, together, the way an attacker with the site and the
// roster would, and fails the build when any group of fewer than minGroupSize people can be read or derived.
// It does not trust the marts: it sees only the published files (through their contracts, files.ts) and checks
//   small_group        a count, or the number who answered something, between 1 and k − 1;
//   two_counts         two different counts for one group and wave, or of those in it who answered one measure
//                      (their difference describes the few between);
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
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { hasAtMostDigits } from "../contracts/precision.ts";
import { ContractError, parsePublished } from "./files.ts";
import { FactSink, type FileFacts, type Observation, type ScaleItems } from "./observations.ts";
import { ALL, ALL_GROUP } from "../contracts/common.ts";
// A container only: the audit reads nothing the marts computed.
import { NestedMap3 } from "../io/nested-map.ts";

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

/**
 * A number for each group of each wave, by which the audit's maps are keyed. A key string built per observation
 * (wave, grouping and group joined) was hashed anew at every lookup: a quarter of the audit at 5,000 units.
 */
class GroupIds {
  private readonly ids = new NestedMap3<number>();
  /** The groups, by id. */
  readonly groups: { wave: number; grouping: string; group: string }[] = [];

  /** The group's id, given it one if it has none yet. */
  id(wave: number, grouping: string, group: string): number {
    let id = this.ids.get(wave, grouping, group);
    if (id === undefined) {
      id = this.groups.length;
      this.ids.set(id, wave, grouping, group);
      this.groups.push({ wave, grouping, group });
    }
    return id;
  }

  /** The group's id; undefined when no observation named it. */
  find(wave: number, grouping: string, group: string): number | undefined {
    return this.ids.get(wave, grouping, group);
  }
}
const where = (o: { wave: number; grouping: string; group: string }) => `${o.wave} 年 · ${o.grouping} · ${o.group}`;

/** Checks the facts of every published file together. */
export function auditFacts(files: FileFacts[], ctx: AuditContext): Finding[] {
  const k = ctx.minGroupSize;
  const findings: Finding[] = [];
  const ids = new GroupIds();

  // Counts, the number who answered each measure, and figures, per group and wave (by the group's id).
  const counts = new Map<number, { o: Observation; n: number }[]>();
  const hiddenAt = new Map<number, Observation>();
  const answers = new Map<string, Map<number, number>>();
  const figures = new Map<string, Map<number, number>>();
  const shownAt = new Map<number, Observation>();
  for (const file of files)
    for (const o of file.observations) {
      const g = ids.id(o.wave, o.grouping, o.group);
      if (o.kind === "count") {
        if (o.n === null) hiddenAt.set(g, o);
        else {
          const list = counts.get(g);
          if (list) list.push({ o, n: o.n });
          else counts.set(g, [{ o, n: o.n }]);
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
        let m = answers.get(o.measure);
        if (!m) answers.set(o.measure, (m = new Map()));
        const before = m.get(g);
        if (before !== undefined && before !== o.n)
          findings.push({
            rule: "two_counts",
            message: `${where(o)} 中作答“${o.measure}”的人数发布了两个：${before} 与 ${o.n}（${o.file}）：其差是少数人的人数`,
            ...pick(o),
            measure: o.measure
          });
        m.set(g, o.n);
        shownAt.set(g, shownAt.get(g) ?? o);
      } else if (o.value !== null) {
        if (!hasAtMostDigits(o.value, o.digits))
          findings.push({
            rule: "precision",
            message: `${o.file}：${where(o)} 的 ${o.measure} = ${o.value}，多于 ${o.digits} 位小数`,
            ...pick(o),
            measure: o.measure
          });
        let m = figures.get(o.measure);
        if (!m) figures.set(o.measure, (m = new Map()));
        const before = m.get(g);
        if (before !== undefined && before !== o.value)
          findings.push({
            rule: "two_values",
            message: `${where(o)} 的 ${o.measure} 有两个数值：${before} 与 ${o.value}（${o.file}）`,
            ...pick(o),
            measure: o.measure
          });
        m.set(g, o.value);
        shownAt.set(g, shownAt.get(g) ?? o);
      }
    }

  const countOf = new Map<number, number>();
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

  findings.push(...residuals(ids, countOf, answers, figures, ctx));
  findings.push(...indexAgainstAnswers(files, ids));
  findings.push(...presence(files, ctx));
  return findings;
}

/**
 * Every published index of a scale, in a group whose item counts are published too, must be the mean of the answers
 * those counts give (to the index's rounding): anything else in it is information about the respondents who skipped
 * an item, which the counts and the index together would reveal (the attack: with one skipper, their answer).
 */
function indexAgainstAnswers(files: FileFacts[], ids: GroupIds): Finding[] {
  // Each group's item counts, by item (the last file's where two publish one).
  const counts = new Map<number, Map<string, number[] | null>>();
  for (const file of files)
    for (const c of file.itemCounts) {
      const g = ids.id(c.wave, c.grouping, c.group);
      let byItem = counts.get(g);
      if (!byItem) counts.set(g, (byItem = new Map()));
      byItem.set(c.item, c.counts);
    }
  const scales = new Map(files.flatMap((f) => f.scales).map((s) => [s.scale, s]));
  const findings: Finding[] = [];
  // Every index as each file publishes it (two files with two values are reported by two_values as well).
  for (const file of files)
    for (const o of file.observations) {
      if (o.kind !== "figure" || o.value === null || !o.measure.startsWith("index:")) continue;
      const scale = scales.get(o.measure.slice("index:".length));
      const groupCounts = counts.get(ids.id(o.wave, o.grouping, o.group));
      const fromCounts = scale && groupCounts && indexFromCounts(scale, groupCounts);
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
function indexFromCounts(scale: ScaleItems, countsOf: Map<string, number[] | null>): number | null {
  let sum = 0;
  let answers = 0;
  for (const item of scale.items) {
    const c = countsOf.get(item.code);
    if (c === null) return null; // hidden in this group: nothing to compare with
    if (c === undefined) continue; // not asked in this wave
    for (let k = 0; k < c.length; k++) {
      const raw = scale.min + k;
      sum += c[k] * (item.reverse ? scale.min + scale.max - raw : raw);
      answers += c[k];
    }
  }
  return answers === 0 ? null : ((sum / answers - scale.min) / (scale.max - scale.min)) * 100;
}

const pick = (o: Observation) => ({ file: o.file, wave: o.wave, grouping: o.grouping, group: o.group });

/** A group of one wave in a residual's subtraction, with its id (undefined: published nowhere). */
interface Part {
  grouping: string;
  group: string;
  id: number | undefined;
}

/** Totals minus their shown parts, for the count and for every "answered" measure, in every wave. */
function residuals(
  ids: GroupIds,
  countOf: Map<number, number>,
  answers: Map<string, Map<number, number>>,
  figures: Map<string, Map<number, number>>,
  ctx: AuditContext
): Finding[] {
  const k = ctx.minGroupSize;
  const findings: Finding[] = [];
  const waves = new Set<number>();
  for (const g of countOf.keys()) waves.add(ids.groups[g].wave);
  const categories = [...new Set(ctx.units.map((u) => u.category))];
  const measures: [string, Map<number, number>][] = [["count", countOf], ...answers];

  for (const wave of waves) {
    // The wave's groups with their ids, found once for every measure (5,000 units × 150 measures at province scale).
    const part = (grouping: string, group: string): Part => ({ grouping, group, id: ids.find(wave, grouping, group) });
    const unitParts = ctx.units.map((u) => part("unit", u.code)); // in roster order
    const unitsOf = new Map(categories.map((c) => [c, unitParts.filter((_, i) => ctx.units[i].category === c)]));
    const categoryParts = categories.map((c) => part("unit_category", c));
    const allPart = part(ALL, ALL_GROUP);
    const attributeParts = [...ctx.attributes].map(([grouping, options]) => ({
      grouping,
      parts: options.map((o) => part(grouping, o))
    }));
    for (const [measure, known] of measures) {
      const n = (p: Part) => (p.id === undefined ? undefined : known.get(p.id));
      const check = (parent: Part, parts: Part[], total: number, needTwo: boolean, label: string) => {
        const shown = parts.filter((p) => n(p) !== undefined);
        const hidden = parts.filter((p) => n(p) === undefined);
        const rest = total - shown.reduce((s, p) => s + n(p)!, 0);
        if (rest === 0) return;
        const tooFew = rest < k;
        const single = needTwo && hidden.length < 2 && parts.length >= 2;
        if (!tooFew && !single) return;
        const derived = measure === "count" ? poolIndices(parent, shown, rest, countOf, figures) : "";
        findings.push({
          rule: "residual",
          message: `${wave} 年 · ${parent.group}（${measure}）减去已显示的${label}，余下 ${rest} 人${tooFew ? `（少于 ${k}）` : ""}${single ? `，只属于 ${hidden.length} 个隐去的${label}（${hidden.map((h) => h.group).join("、")}）` : ""}${derived}`,
          wave,
          grouping: parent.grouping,
          group: parent.group,
          measure
        });
      };
      const all = n(allPart);
      categories.forEach((category, i) => {
        const total = n(categoryParts[i]);
        if (total !== undefined) check(categoryParts[i], unitsOf.get(category)!, total, true, "单位");
      });
      if (all !== undefined) {
        // 全体 minus the shown categories, and minus the shown units of hidden categories.
        const hiddenCategories = new Set(categories.filter((_, i) => n(categoryParts[i]) === undefined));
        const shownUnitsOfHidden = hiddenCategories.size
          ? unitParts.filter((p, i) => hiddenCategories.has(ctx.units[i].category) && n(p) !== undefined)
          : [];
        if (categories.length) check(allPart, [...categoryParts, ...shownUnitsOfHidden], all, true, "单位类别");
        for (const { grouping, parts } of attributeParts) {
          if (!parts.some((p) => n(p) !== undefined)) continue; // the attribute is not published
          check(allPart, parts, all, false, `“${grouping}”选项`);
        }
      }
    }
  }
  return findings;
}

/** What a residual yields besides its count: the pool's index on each scale both the total and its parts publish. */
function poolIndices(
  parent: Part,
  shown: Part[],
  rest: number,
  countOf: Map<number, number>,
  figures: Map<string, Map<number, number>>
): string {
  const derived: string[] = [];
  const at = (map: Map<number, number>, g: number | undefined) => (g === undefined ? undefined : map.get(g));
  for (const [measure, values] of figures) {
    if (!measure.startsWith("index:")) continue;
    const total = at(values, parent.id);
    const parentN = at(countOf, parent.id);
    if (total === undefined || parentN === undefined) continue;
    let sum = total * parentN;
    let complete = true;
    for (const p of shown) {
      const v = at(values, p.id);
      const m = at(countOf, p.id);
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

export const RESPONDENT_ID = /(?<![0-9a-z.])[0-9a-f]{12,64}-\d{1,7}(?![\d.])/;
const IPV4 = /(?<![\d.])(?:(?:25[0-5]|2[0-4]\d|1?\d?\d)\.){3}(?:25[0-5]|2[0-4]\d|1?\d?\d)(?![\d.])/;
const WJX_TIME = /(?<!\d)(?:19|20)\d{2}\/\d{1,2}\/\d{1,2} {1,2}\d{1,2}:\d{2}(?::\d{2})?(?!\d)/;
/** Where a respondent id can end its hex digits: a hex digit, a hyphen, a digit. */
const HEX_HYPHEN_DIGIT = /[0-9a-f]-\d/g;
const RESPONDENT_ID_AT = new RegExp(RESPONDENT_ID.source, RESPONDENT_ID.flags + "y");
const HEX = /[0-9a-f]/;

/**
 * The first match of RESPONDENT_ID in `text`, found from its hyphens: the pattern tried at every character of 50 MB of
 * unit files took half a second of the 1 M audit. A match has one hyphen, after a run of hex digits that it takes
 * whole (its look-behind excludes a hex digit before it), so it can only start where the run before a hyphen starts.
 */
export function firstRespondentId(text: string): string | undefined {
  HEX_HYPHEN_DIGIT.lastIndex = 0;
  for (let hit; (hit = HEX_HYPHEN_DIGIT.exec(text));) {
    const hyphen = hit.index + 1;
    let start = hit.index;
    while (start > 0 && hyphen - start <= 64 && HEX.test(text[start - 1])) start--;
    HEX_HYPHEN_DIGIT.lastIndex = hyphen; // the next hit may share this one's digit
    RESPONDENT_ID_AT.lastIndex = start;
    const m = RESPONDENT_ID_AT.exec(text);
    if (m) return m[0];
  }
  return undefined;
}

/** A respondent-level trace in a JSON file's text (an Arrow file's: arrowTexts). */
function respondentLevel(path: string, text: string): Finding[] {
  const found: Finding[] = [];
  for (const [name, first] of [
    ["答卷编号", firstRespondentId],
    ["IP 地址", (t: string) => t.match(IPV4)?.[0]],
    ["提交时间", (t: string) => t.match(WJX_TIME)?.[0]]
  ] as const) {
    const m = first(text);
    if (m) found.push({ rule: "respondent_level", message: `${path}：含有${name}样式的内容“${m}”`, file: path });
  }
  return found;
}

type Row = Record<string, unknown>;

/**
 * An Arrow file's column names and distinct strings, each as JSON writes it (quoted, control characters escaped), one
 * per line: what respondentLevel reads in it. The rows' whole JSON would find exactly this (no pattern can match
 * across a quote or a comma, and no number or boolean alone matches one), but writing and scanning it cost as much as
 * the rest of the file's audit. Each string as JSON writes it, not as it is: a character before a match, such as a
 * newline written as \n, decides it as it did before.
 */
function arrowTexts(rows: Row[]): string {
  const texts = new Set<string>();
  for (const row of rows)
    for (const key in row) {
      texts.add(key);
      const value = row[key];
      if (typeof value === "string") texts.add(value);
    }
  return [...texts].map((t) => JSON.stringify(t)).join("\n");
}

/**
 * The data files of a build: `_file/data/**`, each with its path under data/ (Framework's content hash removed). A
 * build without data files has none; a folder that cannot be read fails the audit (it would be published unread).
 */
export function publishedDataFiles(distDir: string): { path: string; absolute: string }[] {
  const root = join(distDir, "_file", "data");
  const walk = (dir: string): string[] => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      if (dir === root && (e as NodeJS.ErrnoException).code === "ENOENT") return [];
      throw e;
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

/** What one file gives the audit: its own findings (respondent-level traces, its contract) and its facts. */
export interface FileAudit {
  path: string;
  findings: Finding[];
  /** Null when the file does not match its contract (a finding says so). */
  facts: FileFacts | null;
}

/**
 * Reads one file (its path under data/ and its bytes) through its contract. Files are read one by one, in any order
 * and as they come (the refresh's audit beside the build reads each as the one pass makes it); auditRead puts them
 * together.
 */
export function auditOne(path: string, bytes: Uint8Array): FileAudit {
  const findings: Finding[] = [];
  const text = path.endsWith(".json") ? new TextDecoder().decode(bytes) : undefined;
  if (text !== undefined) findings.push(...respondentLevel(path, text));
  try {
    const parsed = parsePublished(path, bytes, text);
    const sink = new FactSink(path, parsed.file.route);
    parsed.file.read(parsed.value, sink);
    if (parsed.file.format === "arrow") findings.push(...respondentLevel(path, arrowTexts(parsed.value as Row[])));
    return { path, findings, facts: sink };
  } catch (e) {
    if (!(e instanceof ContractError)) throw e;
    findings.push({ rule: "contract", message: e.message, file: path });
    return { path, findings, facts: null };
  }
}

/** The findings over files each read by auditOne: theirs, in path order, then those of their facts together. */
export function auditRead(read: readonly FileAudit[], ctx: AuditContext): Finding[] {
  // In path order: where two files disagree, the checks keep one file's figure, so the verdict must not depend on
  // the order the files were listed or read in (a folder's, or the pass's). The sort is stable.
  const inOrder = [...read].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const facts = inOrder.flatMap((f) => (f.facts ? [f.facts] : []));
  return [...inOrder.flatMap((f) => f.findings), ...auditFacts(facts, ctx)];
}

/** Reads files (path under data/ → bytes) through their contracts and audits them together. */
export function auditFiles(files: { path: string; bytes: Uint8Array }[], ctx: AuditContext): Finding[] {
  return auditRead(
    files.map((f) => auditOne(f.path, f.bytes)),
    ctx
  );
}

/** The findings as the build prints them: at most `limit` lines, then how many more. */
export function describeFindings(findings: Finding[], limit = 20): string {
  const lines = findings.slice(0, limit).map((f) => `- [${f.rule}] ${f.message}`);
  if (findings.length > limit) lines.push(`- …… 另有 ${findings.length - limit} 处`);
  return lines.join("\n");
}
