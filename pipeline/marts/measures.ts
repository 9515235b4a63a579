// Which of the report's measures (the codebook's `measures`: 助推剂, 粘合剂, 强化剂 and their parts) apply most, for
// each wave and unit category, and the evidence behind each: the sub-dimensions a part `addresses`, with their index,
// its 95% interval, the share agreeing and the change since the previous wave (from section.ts · scaleScores).
//
// The ranking, in words a leader can check:
// - a sub-dimension's gap (差距, 0–100) is how far its index lies from the good end: 100 − index where a higher score
//   is better (causes), the index itself where a higher score is worse (problems);
// - gaps of different sections are on different scales (agreeing that a condition holds, agreeing that a problem
//   exists) and are never averaged together: a part's need is the mean gap of the sub-dimensions it addresses in one
//   section, the basis (原因剖析 for the report: its three measures answer the three causes), and a measure's need is
//   the mean of its parts'; the basis is the first higher-is-better section that every part addresses (else the first
//   section every part addresses, else every sub-dimension a part addresses, when they all lie in one section);
// - measures and parts are ranked by need (ties keep the codebook's order);
// - a part applies (需加强) when one of its basis sub-dimensions is among the weakest third of its section in that wave
//   and group, lies on the unfavourable side of the scale midpoint with its whole interval, or got significantly worse
//   since the previous wave: significant within this page's family, every change of a sub-dimension the page shows
//   (all waves and groups), by Benjamini–Hochberg (wave-changes.ts). The other sections' sub-dimensions stay evidence,
//   with their own gaps and reasons, beside the part.
// A measure whose code is a dimension of some section (the questionnaire's 对策需求 part) also gets that dimension's
// score as the respondents' own demand for it.
import type { ReportStore } from "../db/report-store.ts";
import { toCube } from "../contracts/cube.ts";
import { scaleScores, scaleScoreTests, sectionMeta, type ScaleScoreWithChange } from "./section.ts";
import { withFamilyVerdicts, type Tested } from "./wave-changes.ts";

export type Direction = "higher_is_better" | "higher_is_worse";
export type Reason = "weakest" | "unfavourable" | "worsened";

/** One sub-dimension's numbers in one wave and group: what a part's recommendation rests on. */
export interface Evidence {
  code: string;
  section: string;
  direction: Direction;
  n: number | null;
  index: number | null;
  indexLow: number | null;
  indexHigh: number | null;
  agreeShare: number | null;
  indexChange: number | null;
  changeSignificant: boolean | null;
  /** 0–100: distance of the index from the good end of the scale. */
  gap: number | null;
  /** 1 = the weakest sub-dimension of its section in this wave and group. */
  rankInSection: number | null;
  reasons: Reason[];
  suppressed: boolean;
}

export interface PartPriority {
  code: string;
  name: string;
  addresses: string[];
  need: number | null;
  applies: boolean;
  /** Rank among all parts of all measures (1 = most needed); null when every sub-dimension it addresses is suppressed. */
  rank: number | null;
}

export interface Demand {
  index: number | null;
  agreeShare: number | null;
  agreeLow: number | null;
  agreeHigh: number | null;
  n: number | null;
  suppressed: boolean;
}

export interface MeasurePriority {
  code: string;
  name: string;
  summary: string | null;
  need: number | null;
  applies: boolean;
  rank: number | null;
  parts: PartPriority[];
  demand: Demand | null;
}

export interface MeasureDefinition {
  code: string;
  name: string;
  summary?: string | null;
  parts: { code: string; name: string; addresses: string[] }[];
}

/** A sub-dimension's score row as rankMeasures needs it (a ScaleScoreWithChange carries all of it). */
export interface SubdimensionScore {
  code: string;
  section: string;
  direction: Direction;
  n: number | null;
  index: number | null;
  indexLow: number | null;
  indexHigh: number | null;
  agreeShare: number | null;
  indexChange: number | null;
  changeSignificant: boolean | null;
  suppressed: boolean;
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null);

/** Ranks by value, highest first (nulls last, unranked); ties keep input order. Returns ranks aligned with the input. */
function ranks(values: (number | null)[]): (number | null)[] {
  const order = values
    .map((v, i) => ({ v, i }))
    .filter((x) => x.v !== null)
    .sort((a, b) => b.v! - a.v! || a.i - b.i);
  const out: (number | null)[] = values.map(() => null);
  order.forEach((x, k) => (out[x.i] = k + 1));
  return out;
}

/** The evidence of every sub-dimension of one wave and group: gap, rank within its section and reasons. */
export function evidenceOf(scores: readonly SubdimensionScore[]): Evidence[] {
  const usable = (s: SubdimensionScore) => !s.suppressed && s.index !== null;
  const gapOf = (s: SubdimensionScore) =>
    !usable(s) ? null : s.direction === "higher_is_worse" ? s.index! : 100 - s.index!;
  const evidence: Evidence[] = scores.map((s) => ({
    code: s.code,
    section: s.section,
    direction: s.direction,
    n: s.n,
    index: s.index,
    indexLow: s.indexLow,
    indexHigh: s.indexHigh,
    agreeShare: s.agreeShare,
    indexChange: s.indexChange,
    changeSignificant: s.changeSignificant,
    gap: gapOf(s),
    rankInSection: null,
    reasons: [],
    suppressed: !usable(s)
  }));
  for (const section of new Set(evidence.map((e) => e.section))) {
    const members = evidence.filter((e) => e.section === section);
    const r = ranks(members.map((e) => e.gap));
    const weakestThird = Math.ceil(members.length / 3);
    members.forEach((e, i) => {
      e.rankInSection = r[i];
      if (e.suppressed) return;
      const worse = e.direction === "higher_is_worse";
      if (r[i] !== null && r[i]! <= weakestThird) e.reasons.push("weakest");
      if (worse ? e.indexLow !== null && e.indexLow > 50 : e.indexHigh !== null && e.indexHigh < 50)
        e.reasons.push("unfavourable");
      if (e.changeSignificant === true && e.indexChange !== null && (worse ? e.indexChange > 0 : e.indexChange < 0))
        e.reasons.push("worsened");
    });
  }
  return evidence;
}

/**
 * The section whose sub-dimensions rank the measures (see the header): the first higher-is-better section that every
 * part addresses, else the first section every part addresses; null when no section is addressed by every part.
 */
export function basisSection<S extends { code: string; direction: Direction }>(
  measures: readonly MeasureDefinition[],
  sections: readonly S[],
  sectionOf: (subdimension: string) => string | undefined
): S | null {
  const parts = measures.flatMap((m) => m.parts);
  const everyPart = sections.filter((s) => parts.every((p) => p.addresses.some((a) => sectionOf(a) === s.code)));
  return everyPart.find((s) => s.direction === "higher_is_better") ?? everyPart[0] ?? null;
}

/**
 * Ranks the measures and their parts for one wave and group (see the header for the rules). `basis`: the section whose
 * sub-dimensions make a part's need; null when every addressed sub-dimension lies in one section (all count).
 */
export function rankMeasures(
  measures: readonly MeasureDefinition[],
  evidence: readonly Evidence[],
  demand: ReadonlyMap<string, Demand> = new Map(),
  basis: string | null = null
): MeasurePriority[] {
  const byCode = new Map(evidence.map((e) => [e.code, e]));
  if (basis === null && new Set(evidence.map((e) => e.section)).size > 1)
    throw new Error("对策排序需要一个依据部分：各部分的差距量表不同，不能平均");
  const parts = measures.map((m) =>
    m.parts.map((p): PartPriority => {
      const found = p.addresses
        .map((a) => byCode.get(a))
        .filter((e): e is Evidence => !!e && !e.suppressed && (basis === null || e.section === basis));
      return {
        code: p.code,
        name: p.name,
        addresses: p.addresses,
        need: mean(found.map((e) => e.gap!)),
        applies: found.some((e) => e.reasons.length > 0),
        rank: null
      };
    })
  );
  const flat = parts.flat();
  ranks(flat.map((p) => p.need)).forEach((r, i) => (flat[i].rank = r));
  const needs = parts.map((list) => mean(list.flatMap((p) => (p.need === null ? [] : [p.need]))));
  const measureRanks = ranks(needs);
  return measures
    .map((m, i): MeasurePriority => ({
      code: m.code,
      name: m.name,
      summary: m.summary ?? null,
      need: needs[i],
      applies: parts[i].some((p) => p.applies),
      rank: measureRanks[i],
      parts: [...parts[i]].sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity)),
      demand: demand.get(m.code) ?? null
    }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity));
}

/** For a score row of section.ts: the fields rankMeasures reads, the interval rescaled to the 0–100 index. */
export function subdimensionScore(row: ScaleScoreWithChange, section: string, direction: Direction): SubdimensionScore {
  return {
    code: row.code,
    section,
    direction,
    n: row.n,
    index: row.index,
    indexLow: row.indexLow,
    indexHigh: row.indexHigh,
    agreeShare: row.agreeShare,
    indexChange: row.indexChange,
    changeSignificant: row.changeSignificant,
    suppressed: row.suppressed
  };
}

/** The groupings the measures page offers: everyone and each unit category. */
const GROUPINGS = ["all", "unit_category"];

type Keyed<T> = { wave: number; grouping: string; group: string } & T;

export interface MeasurePriorityRows {
  minGroupSize: number;
  waves: number[];
  groupings: { key: string; name: string; groups: string[] }[];
  refreshedAt: string;
  changeTest: string;
  sections: { code: string; name: string; direction: Direction }[];
  demandSection: { code: string; name: string } | null;
  /** The section whose sub-dimensions rank the measures (原因剖析); null when all addressed lie in one section. */
  basis: { code: string; name: string } | null;
  subdimensions: Record<
    string,
    { name: string; dimension: string; dimensionName: string; section: string; sectionName: string }
  >;
  measures: MeasureDefinition[];
  /** Per wave and group: every addressed sub-dimension's evidence. */
  evidence: Keyed<Evidence>[];
  /** Per wave and group: each measure's need, rank and demand (parts listed in `parts`). */
  priorities: Keyed<Omit<MeasurePriority, "parts">>[];
  /** Per wave and group: each part's need, rank and whether it applies. */
  parts: Keyed<PartPriority & { measure: string }>[];
}

export async function measurePriorities(store: ReportStore): Promise<MeasurePriorityRows> {
  const { codebook } = store.index;
  const measures: MeasureDefinition[] = codebook.measures.map((m) => ({
    code: m.code,
    name: m.name,
    summary: m.summary ?? null,
    parts: m.parts
  }));
  const addressed = new Set(measures.flatMap((m) => m.parts.flatMap((p) => p.addresses)));
  const sections = codebook.sections.filter((s) =>
    s.dimensions.some((d) => d.subdimensions.some((x) => addressed.has(x.code)))
  );
  if (sections.length === 0) throw new Error("码本中没有对策（measures），或对策所针对的方面不在任何部分中");
  const demandSection = codebook.sections.find((s) =>
    measures.every((m) => s.dimensions.some((d) => d.code === m.code))
  );

  // The page's family of change verdicts: every addressed sub-dimension's change in every wave and group shown.
  const tests: Tested<{ row: Omit<ScaleScoreWithChange, "changeSignificant">; section: (typeof sections)[number] }>[] =
    [];
  for (const section of sections)
    for (const { row, p } of await scaleScoreTests(store, section.code))
      if (row.level === "subdimension" && addressed.has(row.code) && GROUPINGS.includes(row.grouping))
        tests.push({ p, row: { row, section } });
  const rows = withFamilyVerdicts(tests).map(({ row, section, changeSignificant }) => ({
    row: { ...row, changeSignificant },
    section
  }));
  const demandRows = demandSection
    ? (await scaleScores(store, demandSection.code)).filter(
        (r) => r.level === "dimension" && GROUPINGS.includes(r.grouping)
      )
    : [];

  const sectionCode = (code: string) => store.index.subdimension.get(code)?.section;
  const basis = sections.length > 1 ? basisSection(measures, sections, sectionCode) : null;
  if (sections.length > 1 && basis === null)
    throw new Error("对策所针对的方面分属多个部分，但没有一个部分是每项具体措施都针对的：无法在同一量表上排序");

  const meta = await sectionMeta(store, sections[0].code);
  const groupings = meta.groupings.filter((g) => GROUPINGS.includes(g.key));
  const out: MeasurePriorityRows = {
    minGroupSize: codebook.minGroupSize,
    waves: meta.waves,
    groupings,
    refreshedAt: meta.refreshedAt,
    changeTest: meta.changeTest,
    sections: sections.map((s) => ({ code: s.code, name: s.name, direction: s.direction })),
    demandSection: demandSection ? { code: demandSection.code, name: demandSection.name } : null,
    basis: basis ? { code: basis.code, name: basis.name } : null,
    subdimensions: Object.fromEntries(
      [...addressed].map((code) => {
        const sd = store.index.subdimension.get(code)!;
        return [
          code,
          {
            name: sd.name,
            dimension: sd.dimension,
            dimensionName: sd.dimensionName,
            section: sd.section,
            sectionName: sd.sectionName
          }
        ];
      })
    ),
    measures,
    evidence: [],
    priorities: [],
    parts: []
  };
  for (const wave of meta.waves)
    for (const g of groupings)
      for (const group of g.groups) {
        const here = rows.filter(({ row }) => row.wave === wave && row.grouping === g.key && row.group === group);
        if (here.length === 0) continue;
        const key = { wave, grouping: g.key, group };
        const evidence = evidenceOf(
          here.map(({ row, section }) => subdimensionScore(row, section.code, section.direction))
        );
        const demand = new Map(
          demandRows
            .filter((r) => r.wave === wave && r.grouping === g.key && r.group === group)
            .map((r) => [
              r.code,
              {
                index: r.index,
                agreeShare: r.agreeShare,
                agreeLow: r.agreeLow,
                agreeHigh: r.agreeHigh,
                n: r.n,
                suppressed: r.suppressed
              }
            ])
        );
        out.evidence.push(...evidence.map((e) => ({ ...key, ...e })));
        for (const { parts, ...m } of rankMeasures(measures, evidence, demand, basis?.code ?? null)) {
          out.priorities.push({ ...key, ...m });
          out.parts.push(...parts.map((p) => ({ ...key, measure: m.code, ...p })));
        }
      }
  return out;
}

/** The page's file: evidence, measures and parts as cubes (wave × group × code), definitions once. */
export function compactMeasurePriorities(data: MeasurePriorityRows) {
  const order = { wave: data.waves, grouping: GROUPINGS };
  const axes = (code: string): string[][] => [["wave"], ["grouping", "group"], [code]];
  const rows = (list: object[]) => list as Record<string, unknown>[];
  return {
    ...data,
    evidence: toCube(rows(data.evidence), {
      axes: axes("code"),
      fields: {
        n: 0,
        index: 1,
        indexLow: 1,
        indexHigh: 1,
        agreeShare: 3,
        indexChange: 1,
        changeSignificant: "boolean",
        gap: 1,
        rankInSection: 0,
        reasons: "raw",
        suppressed: "boolean"
      },
      presence: "suppressed",
      order
    }),
    priorities: toCube(
      rows(
        data.priorities.map(({ demand, ...m }) => ({
          ...m,
          demandIndex: demand?.index ?? null,
          demandShare: demand?.agreeShare ?? null,
          demandLow: demand?.agreeLow ?? null,
          demandHigh: demand?.agreeHigh ?? null,
          demandN: demand?.n ?? null,
          demandSuppressed: demand?.suppressed ?? null
        }))
      ),
      {
        axes: axes("code"),
        fields: {
          need: 1,
          applies: "boolean",
          rank: 0,
          demandIndex: 1,
          demandShare: 3,
          demandLow: 3,
          demandHigh: 3,
          demandN: 0,
          demandSuppressed: "boolean"
        },
        presence: "applies",
        order
      }
    ),
    parts: toCube(rows(data.parts), {
      axes: axes("code"),
      fields: { need: 1, applies: "boolean", rank: 0 },
      presence: "applies",
      order
    })
  };
}

export async function measuresPageData(store: ReportStore) {
  return compactMeasurePriorities(await measurePriorities(store));
}
