// Every data file the site's pages read, in one registry: its route under src/data (Framework's [param] placeholders),
// the values of its params the site uses, and the function that makes its bytes from an opened store (a mart, then
// the publish serialization with the file's contract: publish.ts). The loaders in src/data are one call into this
// registry (publishDataFile), so the preview server and a plain `observable build` run them as processes and get
// exactly the bytes that the one pass (pipeline/refresh/data-pass.ts) writes for every file from one opened store.
// The units archive (src/data/units.tar.ts) is not here: the build does not take the unit files from Framework.
import type { Codebook } from "../codebook/schema.ts";
import { openReportStore, type ReportStore } from "../db/report-store.ts";
import { assessmentReport, assessmentSurveyLink } from "../marts/assessment.ts";
import { driversPageData } from "../marts/driver-correlations.ts";
import {
  exploreAssessmentTotals,
  exploreCatalog,
  exploreItemDistributions,
  exploreResponseRates,
  exploreScaleScores
} from "../marts/explore.ts";
import { measuresPageData } from "../marts/measures.ts";
import { overview } from "../marts/overview.ts";
import { qualityReport } from "../marts/quality.ts";
import { responseRates } from "../marts/response-rates.ts";
import { trends } from "../marts/trends.ts";
import { FOCUS_SECTION, unitDirectory } from "../marts/units.ts";
import type { ArrowTableSpec } from "./arrow.ts";
import { publishedArrow, publishedJson } from "./publish.ts";
import { loaderParam, sectionPageItems, sectionPageMeta, sectionPageScores } from "./section-files.ts";

export type Params = Record<string, string>;

export interface DataFile {
  /** Path under src/data without the loader's `.ts`, with Framework's [param] placeholders: `sections/[section]-scores.json`. */
  route: string;
  /** The params of each file of this route the pages read (none: one file, the route itself). */
  params?: (codebook: Codebook) => Params[];
  /** The file's bytes, checked against its contract (pipeline/publish/files.ts). */
  make(store: ReportStore, params: Params): Promise<string | Uint8Array>;
}

/** The sections with a page of their own (src/achievements.md, problems.md, causes.md), those the codebook has. */
export const SECTION_PAGES = ["achievements", "problems", "causes"];

const sections = (codebook: Codebook): Params[] =>
  SECTION_PAGES.filter((code) => codebook.sections.some((s) => s.code === code)).map((section) => ({ section }));

const json =
  (route: string, mart: (store: ReportStore, params: Params) => Promise<unknown>) =>
  async (store: ReportStore, params: Params) =>
    publishedJson(route, await mart(store, params));

const arrow = (route: string, mart: (store: ReportStore) => Promise<ArrowTableSpec>) => async (store: ReportStore) =>
  publishedArrow(route, await mart(store));

const file = (
  route: string,
  mart: (store: ReportStore, params: Params) => Promise<unknown>,
  params?: DataFile["params"]
): DataFile => ({ route, params, make: json(route, mart) });

const arrowFile = (route: string, mart: (store: ReportStore) => Promise<ArrowTableSpec>): DataFile => ({
  route,
  make: arrow(route, mart)
});

export const DATA_FILES: DataFile[] = [
  file("overview.json", (store) => overview(store, FOCUS_SECTION)),
  file("trends.json", (store) => trends(store, "all")),
  file("trends-categories.json", (store) => trends(store, "unit_category")),
  file("response-rates.json", (store) => responseRates(store)),
  file("units-index.json", (store) => unitDirectory(store, FOCUS_SECTION)),
  file("sections/[section]-meta.json", (store, p) => sectionPageMeta(store, p.section), sections),
  file("sections/[section]-scores.json", (store, p) => sectionPageScores(store, p.section), sections),
  file("sections/[section]-items.json", (store, p) => sectionPageItems(store, p.section), sections),
  file(
    "drivers/[predictors]-[outcomes].json",
    (store, p) => driversPageData(store, { predictors: p.predictors, outcomes: p.outcomes }),
    // the causes (原因剖析) against the problems (存在问题), on every cause's page
    () => [{ predictors: "causes", outcomes: "problems" }]
  ),
  file("measures.json", (store) => measuresPageData(store)),
  file("assessment.json", (store) => assessmentReport(store)),
  file("assessment-survey.json", (store) =>
    assessmentSurveyLink(store, { question: "assessment_focus", subdimension: "mech_assessment" })
  ),
  file("quality.json", (store) => qualityReport(store)),
  arrowFile("explore/scale-scores.arrow", exploreScaleScores),
  arrowFile("explore/item-distributions.arrow", exploreItemDistributions),
  arrowFile("explore/response-rates.arrow", exploreResponseRates),
  arrowFile("explore/assessment-totals.arrow", exploreAssessmentTotals),
  file("explore/tables.json", (store) => exploreCatalog(store))
];

export function dataFileByRoute(route: string): DataFile {
  const found = DATA_FILES.find((f) => f.route === route);
  if (!found) throw new Error(`no data file ${route} in pipeline/publish/data-files.ts`);
  return found;
}

/** The names of a route's params, in order: `drivers/[predictors]-[outcomes].json` → predictors, outcomes. */
export function paramNames(route: string): string[] {
  return [...route.matchAll(/\[([^\]]+)\]/g)].map((m) => m[1]);
}

export interface DataTarget {
  file: DataFile;
  params: Params;
  /** The path Framework serves and caches, under the site root: `data/sections/causes-scores.json`. */
  target: string;
  /** The loader script, relative to the project root: `src/data/sections/[section]-scores.json.ts`. */
  loader: string;
  /** The params as Framework passes them to the loader: `--section=causes`. */
  args: string[];
}

/** Every data file the build needs, params expanded from the codebook. */
export function dataTargets(codebook: Codebook): DataTarget[] {
  return DATA_FILES.flatMap((file) =>
    (file.params ? file.params(codebook) : [{}]).map((params) => ({
      file,
      params,
      target: `data/${file.route.replace(/\[([^\]]+)\]/g, (_, name: string) => params[name])}`,
      loader: `src/data/${file.route}.ts`,
      args: paramNames(file.route).map((name) => `--${name}=${params[name]}`)
    }))
  );
}

/**
 * A data loader's whole body: opens the store, makes the route's file with the params Framework passed
 * (`--section=causes`) and writes it to stdout.
 */
export async function publishDataFile(route: string, args: string[] = process.argv.slice(2)): Promise<void> {
  const file = dataFileByRoute(route);
  const params = Object.fromEntries(paramNames(route).map((name) => [name, loaderParam(name, args)]));
  process.stdout.write(await file.make(await openReportStore(), params));
}
