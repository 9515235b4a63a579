// Every file the site publishes, in one list: its route under src/data (as pages attach it), the zod schema it must
// match (pipeline/contracts), and what the disclosure audit reads off it (observations.ts). A data file in a build
// that no route here matches is refused by the audit: nothing reaches the site without a contract.
import { tableFromIPC } from "apache-arrow";
import { z } from "zod";
import { expandCube, type Cube } from "../contracts/cube.ts";
import { AssessmentReportSchema, AssessmentSurveyLinkSchema } from "../contracts/assessment.ts";
import { DriversFileSchema } from "../contracts/drivers.ts";
import {
  ExploreAssessmentTotalSchema,
  ExploreCatalogSchema,
  ExploreItemDistributionSchema,
  ExploreResponseRateSchema,
  ExploreScaleScoreSchema
} from "../contracts/explore.ts";
import { MeasuresFileSchema } from "../contracts/measures.ts";
import { DIGITS } from "../contracts/precision.ts";
import { QualityReportSchema } from "../contracts/quality.ts";
import { ResponseRatesFileSchema } from "../contracts/rates.ts";
import { OverviewSchema, TrendsSchema } from "../contracts/report.ts";
import { SectionItemsFileSchema, SectionMetaSchema, SectionScoresFileSchema } from "../contracts/sections.ts";
import { UnitDirectorySchema, UnitPageSchema } from "../contracts/units.ts";
import { FactSink } from "./observations.ts";
import { ALL, ALL_GROUP } from "../contracts/common.ts";

export type Format = "json" | "arrow";

export interface PublishedFile {
  /** Path under src/data with Framework's [param] placeholders, e.g. `sections/[section]-scores.json`. */
  route: string;
  format: Format;
  /** For JSON the whole file; for Arrow one row. */
  schema: z.ZodType;
  /** Reads what a reader learns of each group; `value` has passed the schema (Arrow: the array of rows). */
  read(value: unknown, facts: FactSink): void;
}

const I = DIGITS.index;
const S = DIGITS.share;
const P = DIGITS.p;
const C = DIGITS.coefficient;

type Row = Record<string, unknown>;
const rows = (cube: unknown) => expandCube<Row>(cube as Cube);
const num = (x: unknown) => (typeof x === "number" ? x : null);

/** A score row of any file: its count and its figures, named by scale. */
function scoreFacts(
  f: FactSink,
  r: Row,
  grouping: string,
  group: string,
  scale: string,
  fields: Record<string, [string, number]>
) {
  const wave = r.wave as number;
  f.count(wave, grouping, group, num(r.n));
  for (const [field, [name, digits]] of Object.entries(fields))
    if (field in r) f.figure(wave, grouping, group, `${name}:${scale}`, num(r[field]), digits);
}

const SCORE_FIELDS: Record<string, [string, number]> = {
  index: ["index", I],
  indexLow: ["index_low", I],
  indexHigh: ["index_high", I],
  agreeShare: ["agree_share", S],
  agreeLow: ["agree_low", S],
  agreeHigh: ["agree_high", S],
  indexChange: ["index_change", I],
  changeLow: ["change_low", I],
  changeHigh: ["change_high", I],
  changeP: ["change_p", P]
};

const rateFacts = (
  f: FactSink,
  r: { wave: number; level: string; code: string; category: string | null; n: number | null }
) => {
  if (r.level === "unit_pool") f.count(r.wave, "unit_pool", r.category!, r.n);
  else f.count(r.wave, r.level, r.level === ALL ? ALL_GROUP : r.code, r.n);
};

/** Lists per wave the groups of each grouping that rows of a file name. */
function listGroups(f: FactSink, entries: { wave: number; grouping: string; group: string }[]) {
  const by = new Map<string, { wave: number; grouping: string; groups: Set<string> }>();
  for (const e of entries) {
    const key = `${e.wave}|${e.grouping}`;
    if (!by.has(key)) by.set(key, { wave: e.wave, grouping: e.grouping, groups: new Set() });
    by.get(key)!.groups.add(e.group);
  }
  for (const l of by.values()) f.list(l.wave, l.grouping, [...l.groups]);
}

export const PUBLISHED_FILES: PublishedFile[] = [
  {
    route: "overview.json",
    format: "json",
    schema: OverviewSchema,
    read(value, f) {
      const o = value as z.infer<typeof OverviewSchema>;
      f.count(o.wave, ALL, ALL_GROUP, o.response.all.n);
      if (o.previousWave !== null && o.response.previousAll)
        f.count(o.previousWave, ALL, ALL_GROUP, o.response.previousAll.n);
      for (const c of o.response.categories) f.count(o.wave, "unit_category", c.code, c.n);
      for (const s of [...o.sections, ...o.dimensions, ...o.weakest])
        scoreFacts(f, { ...s, wave: o.wave }, ALL, ALL_GROUP, s.code, {
          index: ["index", I],
          indexLow: ["index_low", I],
          indexHigh: ["index_high", I],
          indexChange: ["index_change", I],
          changeP: ["change_p", P]
        });
      // the chart's series: each wave's count and figures, as trends.json states them for all respondents
      for (const d of o.trend)
        for (const p of d.points)
          scoreFacts(f, p, ALL, ALL_GROUP, d.code, {
            index: ["index", I],
            low: ["index_low", I],
            high: ["index_high", I]
          });
      for (const u of o.lagging) {
        f.count(o.wave, "unit", u.code, u.n);
        f.figure(o.wave, "unit", u.code, `index:${o.focus.code}`, u.index, I);
        f.figure(o.wave, "unit", u.code, `index_low:${o.focus.code}`, u.indexLow, I);
        f.figure(o.wave, "unit", u.code, `index_high:${o.focus.code}`, u.indexHigh, I);
        if (u.weakest) f.figure(o.wave, "unit", u.code, `index:${u.weakest.code}`, u.weakest.index, I);
        // the verdict against the rest of its category: only its adjusted p, never the rest's index (derivable)
        f.figure(o.wave, "unit", u.code, `vs_category_rest_p:${o.focus.code}`, u.adjustedP, P);
      }
    }
  },
  ...["trends.json", "trends-categories.json"].map((route): PublishedFile => ({
    route,
    format: "json",
    schema: TrendsSchema,
    read(value, f) {
      const t = value as z.infer<typeof TrendsSchema>;
      for (const s of t.series) {
        for (const p of s.points)
          scoreFacts(f, p, s.grouping, s.group, s.code, {
            index: ["index", I],
            low: ["index_low", I],
            high: ["index_high", I],
            change: ["index_change", I],
            p: ["change_p", P]
          });
      }
      listGroups(
        f,
        t.series.flatMap((s) => s.points.map((p) => ({ wave: p.wave, grouping: s.grouping, group: s.group })))
      );
    }
  })),
  {
    route: "response-rates.json",
    format: "json",
    schema: ResponseRatesFileSchema,
    read(value, f) {
      const list = value as z.infer<typeof ResponseRatesFileSchema>;
      for (const r of list) {
        rateFacts(f, r);
        if (r.level !== "unit_pool") f.figure(r.wave, r.level, r.level === ALL ? ALL_GROUP : r.code, "rate", r.rate, S);
      }
      listGroups(
        f,
        list
          .filter((r) => r.level === "unit" || r.level === "unit_category")
          .map((r) => ({ wave: r.wave, grouping: r.level, group: r.code }))
      );
    }
  },
  {
    route: "units-index.json",
    format: "json",
    schema: UnitDirectorySchema,
    read(value, f) {
      const d = value as z.infer<typeof UnitDirectorySchema>;
      for (const r of d.all.responses) f.count(r.wave, ALL, ALL_GROUP, r.n);
      const listed: { wave: number; grouping: string; group: string }[] = [];
      for (const c of d.categories) {
        for (const r of c.responses) f.count(r.wave, "unit_category", c.name, r.n);
        for (const o of c.others) f.count(o.wave, "unit_pool", c.name, o.n);
        for (const u of c.units) {
          for (const r of u.responses) {
            f.count(r.wave, "unit", u.code, r.n);
            listed.push({ wave: r.wave, grouping: "unit", group: u.code });
          }
          // the focus index as the unit's page publishes it (units/[unit].json): the same figures, compared
          f.figure(u.latest.wave, "unit", u.code, `index:${d.focus.code}`, u.latest.index, I);
          f.figure(u.latest.wave, "unit", u.code, `index_change:${d.focus.code}`, u.latest.change, I);
        }
      }
      listGroups(f, listed);
    }
  },
  {
    route: "units/[unit].json",
    format: "json",
    schema: UnitPageSchema,
    read(value, f) {
      const u = value as z.infer<typeof UnitPageSchema>;
      for (const r of u.responses) {
        f.count(r.wave, "unit", u.unit.code, r.n);
        f.list(r.wave, "unit", [u.unit.code]);
      }
      for (const s of u.scales)
        for (const p of s.points) {
          for (const [field, name] of [
            ["index", "index"],
            ["low", "index_low"],
            ["high", "index_high"],
            ["change", "index_change"]
          ] as const)
            f.figure(p.wave, "unit", u.unit.code, `${name}:${s.code}`, p[field], I);
          if (p.category !== null) f.figure(p.wave, "unit_category", u.unit.category, `index:${s.code}`, p.category, I);
          if (p.all !== null) f.figure(p.wave, ALL, ALL_GROUP, `index:${s.code}`, p.all, I);
        }
    }
  },
  {
    route: "sections/[section]-meta.json",
    format: "json",
    schema: SectionMetaSchema,
    read(value, f) {
      // No figure about a group: which items make up each scale, for checking the indices against the item counts.
      const m = value as z.infer<typeof SectionMetaSchema>;
      const of = (pick: (i: (typeof m.items)[number]) => boolean) =>
        m.items.filter(pick).map((i) => ({ code: i.code, reverse: i.reverse }));
      f.scale(
        m.section.code,
        of(() => true),
        m.scale.min,
        m.scale.max
      );
      for (const d of m.dimensions) {
        f.scale(
          d.code,
          of((i) => i.dimension === d.code),
          m.scale.min,
          m.scale.max
        );
        for (const sd of d.subdimensions)
          f.scale(
            sd.code,
            of((i) => i.subdimension === sd.code),
            m.scale.min,
            m.scale.max
          );
      }
    }
  },
  {
    route: "sections/[section]-scores.json",
    format: "json",
    schema: SectionScoresFileSchema,
    read(value, f) {
      const cells = rows(value);
      for (const r of cells) scoreFacts(f, r, r.grouping as string, r.group as string, r.code as string, SCORE_FIELDS);
      listGroups(
        f,
        cells.map((r) => ({ wave: r.wave as number, grouping: r.grouping as string, group: r.group as string }))
      );
    }
  },
  {
    route: "sections/[section]-items.json",
    format: "json",
    schema: SectionItemsFileSchema,
    read(value, f) {
      for (const r of rows(value))
        f.counts(
          r.wave as number,
          r.grouping as string,
          r.group as string,
          r.code as string,
          r.counts as number[] | null
        );
    }
  },
  {
    route: "drivers/[predictors]-[outcomes].json",
    format: "json",
    schema: DriversFileSchema,
    read(value, f) {
      const d = value as z.infer<typeof DriversFileSchema>;
      for (const r of rows(d.correlations)) {
        const pair = `${r.predictor}|${r.outcome}`;
        f.answers(r.wave as number, ALL, ALL_GROUP, `pair:${pair}`, num(r.n));
        f.figure(r.wave as number, ALL, ALL_GROUP, `r:${pair}`, num(r.r), C);
      }
      // A regression's n and R² depend on its predictors (listwise deletion over them): keyed by both sections, so
      // that two drivers files sharing an outcome do not read as one figure published twice.
      for (const r of d.regressions) {
        const model = `${d.predictors.section}→${r.outcome}`;
        f.answers(r.wave, ALL, ALL_GROUP, `regression:${model}`, r.n);
        f.figure(r.wave, ALL, ALL_GROUP, `r_squared:${model}`, r.rSquared, C);
      }
    }
  },
  {
    route: "measures.json",
    format: "json",
    schema: MeasuresFileSchema,
    read(value, f) {
      const m = value as z.infer<typeof MeasuresFileSchema>;
      for (const r of rows(m.evidence))
        scoreFacts(f, r, r.grouping as string, r.group as string, r.code as string, {
          index: ["index", I],
          indexLow: ["index_low", I],
          indexHigh: ["index_high", I],
          agreeShare: ["agree_share", S],
          indexChange: ["index_change", I],
          gap: ["gap", I]
        });
      for (const r of rows(m.priorities)) {
        if (r.demandSuppressed === null) continue;
        scoreFacts(
          f,
          {
            wave: r.wave,
            n: r.demandN,
            index: r.demandIndex,
            agreeShare: r.demandShare,
            agreeLow: r.demandLow,
            agreeHigh: r.demandHigh
          },
          r.grouping as string,
          r.group as string,
          r.code as string,
          SCORE_FIELDS
        );
        f.figure(r.wave as number, r.grouping as string, r.group as string, `need:${r.code}`, num(r.need), I);
      }
      for (const r of rows(m.parts))
        f.figure(r.wave as number, r.grouping as string, r.group as string, `need:${r.code}`, num(r.need), I);
    }
  },
  {
    route: "assessment.json",
    format: "json",
    schema: AssessmentReportSchema,
    read() {
      // assessment scores describe units, not respondents: no group-size rule applies
    }
  },
  {
    route: "assessment-survey.json",
    format: "json",
    schema: AssessmentSurveyLinkSchema,
    read(value, f) {
      const a = value as z.infer<typeof AssessmentSurveyLinkSchema>;
      for (const u of a.units) {
        f.count(u.wave, "unit", u.unit, u.n);
        f.figure(u.wave, "unit", u.unit, `index:${a.subdimension?.code}`, u.index, I);
      }
      listGroups(
        f,
        a.units.map((u) => ({ wave: u.wave, grouping: "unit", group: u.unit }))
      );
      for (const c of a.choices) {
        f.answers(c.wave, ALL, ALL_GROUP, `question:${a.question?.code}`, c.n);
        f.figure(c.wave, ALL, ALL_GROUP, `share:${a.question?.code}:${c.option}`, c.share, S);
      }
    }
  },
  {
    route: "quality.json",
    format: "json",
    schema: QualityReportSchema,
    read() {
      // files, quarantine kinds, and counts per whole wave (flags, unanswered items): no figure about a group of a
      // wave below the whole wave; the schema refuses any cell content or reason text
    }
  },
  {
    route: "explore/scale-scores.arrow",
    format: "arrow",
    schema: ExploreScaleScoreSchema,
    read(value, f) {
      const list = value as z.infer<typeof ExploreScaleScoreSchema>[];
      const renamed = list.map((r) => ({
        ...r,
        indexLow: r.index_low,
        indexHigh: r.index_high,
        agreeShare: r.agree_share,
        agreeLow: r.agree_low,
        agreeHigh: r.agree_high,
        indexChange: r.index_change,
        changeLow: r.change_low,
        changeHigh: r.change_high,
        changeP: r.change_p
      }));
      for (const r of renamed) scoreFacts(f, r, r.breakdown, r.group_name, r.code, SCORE_FIELDS);
      listGroups(
        f,
        list.map((r) => ({ wave: r.wave, grouping: r.breakdown, group: r.group_name }))
      );
    }
  },
  {
    route: "explore/item-distributions.arrow",
    format: "arrow",
    schema: ExploreItemDistributionSchema,
    read(value, f) {
      // One row per answer: gathered into each item's counts per group, in score order.
      const cells = new Map<string, { r: z.infer<typeof ExploreItemDistributionSchema>; counts: (number | null)[] }>();
      for (const r of value as z.infer<typeof ExploreItemDistributionSchema>[]) {
        const key = `${r.wave}|${r.breakdown}|${r.group_name}|${r.code}`;
        if (!cells.has(key)) cells.set(key, { r, counts: [] });
        cells.get(key)!.counts.push(r.count);
      }
      for (const { r, counts } of cells.values())
        f.counts(
          r.wave,
          r.breakdown,
          r.group_name,
          r.code,
          counts.some((c) => c === null) ? null : (counts as number[])
        );
    }
  },
  {
    route: "explore/response-rates.arrow",
    format: "arrow",
    schema: ExploreResponseRateSchema,
    read(value, f) {
      const list = value as z.infer<typeof ExploreResponseRateSchema>[];
      for (const r of list) rateFacts(f, r);
      listGroups(
        f,
        list.filter((r) => r.level === "unit").map((r) => ({ wave: r.wave, grouping: "unit", group: r.code }))
      );
    }
  },
  {
    route: "explore/assessment-totals.arrow",
    format: "arrow",
    schema: ExploreAssessmentTotalSchema,
    read() {
      // unit-level assessment scores
    }
  },
  {
    route: "explore/tables.json",
    format: "json",
    schema: ExploreCatalogSchema,
    read() {
      // the tables' guide: names, descriptions, row counts
    }
  }
];

/** `sections/[section]-scores.json` as a pattern matching a published path. */
function routePattern(route: string): RegExp {
  const escaped = route.replace(/[.*+?^${}()|\\]/g, "\\$&").replace(/\[([a-z]+)\]/gi, "([^/]+?)");
  return new RegExp(`^${escaped}$`);
}

const patterns = PUBLISHED_FILES.map((file) => ({ file, pattern: routePattern(file.route) }));

/** The published file a path under data/ belongs to, or undefined. */
export function publishedFileOf(path: string): PublishedFile | undefined {
  return patterns.find((p) => p.pattern.test(path))?.file;
}

export function publishedFileByRoute(route: string): PublishedFile {
  const found = PUBLISHED_FILES.find((f) => f.route === route);
  if (!found) throw new Error(`no published file ${route}`);
  return found;
}

/**
 * Rows of an Arrow IPC stream as plain objects. Read a column at a time: asking the table for a column by name and the
 * column for a row by index, once per cell, searched the fields and the record batches at every cell (a fifth of
 * the audit's time at 10 k).
 */
export function arrowRows(bytes: Uint8Array): Row[] {
  const table = tableFromIPC(bytes);
  const out: Row[] = Array.from({ length: table.numRows }, () => ({}));
  for (const field of table.schema.fields) {
    let i = 0;
    for (const v of table.getChild(field.name)!) out[i++][field.name] = typeof v === "bigint" ? Number(v) : (v ?? null);
  }
  return out;
}

const wholeFileSchemas = new WeakMap<PublishedFile, z.ZodType>();

/** The schema of a whole file: a JSON file's own; for an Arrow file, an array of its rows' (made once per file). */
export function wholeFileSchema(file: PublishedFile): z.ZodType {
  if (file.format === "json") return file.schema;
  let schema = wholeFileSchemas.get(file);
  if (!schema) wholeFileSchemas.set(file, (schema = z.array(file.schema)));
  return schema;
}

export interface ParsedFile {
  path: string;
  file: PublishedFile;
  value: unknown;
}

export class ContractError extends Error {}

/**
 * Parses a published file's bytes (a JSON file's `text` when already decoded) with its schema; throws ContractError
 * naming the file and the first problems.
 */
export function parsePublished(path: string, bytes: Uint8Array, text?: string): ParsedFile {
  const file = publishedFileOf(path);
  if (!file) throw new ContractError(`${path}：没有为这个文件声明数据契约（pipeline/publish/files.ts），不得发布`);
  const raw = file.format === "arrow" ? arrowRows(bytes) : JSON.parse(text ?? new TextDecoder().decode(bytes));
  const result = wholeFileSchema(file).safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.slice(0, 5).map((i) => `${i.path.join(".") || "(根)"}: ${i.message}`);
    throw new ContractError(`${path} 不符合其数据契约（${file.route}）：${problems.join("；")}`);
  }
  return { path, file, value: result.data };
}
