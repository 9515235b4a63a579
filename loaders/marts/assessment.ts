// Assessment marts: indicator scores and weighted totals per year and unit. Unit-level data (not respondents'),
// so no group-size suppression applies; rows the loader rejected are reported with the data quality.
import { existsSync } from "node:fs";
import { loadIndicators } from "../codebook/load.ts";
import type { Indicator } from "../codebook/schema.ts";
import { paths } from "../config.ts";
import { loadAssessmentScores, type AssessmentFile } from "../assessment/load.ts";
import type { ReportStore } from "./open.ts";
import { runNamedQuery } from "./sql.ts";

export interface AssessmentTotalRow {
  year: number;
  unit: string;
  name: string;
  category: string;
  partyBuilding: number | null;
  business: number | null;
  processWeightShare: number | null;
  partyBuildingIndicators: number;
  businessIndicators: number;
}

export interface AssessmentData {
  indicators: Indicator[];
  file: AssessmentFile | null;
}

/** Reads data/assessment/scores.csv (when present) and registers it with the indicators as DuckDB tables. */
export async function registerAssessment(store: ReportStore, options: { scores?: string; indicators?: string } = {}): Promise<AssessmentData> {
  const p = paths();
  const { indicators } = loadIndicators(options.indicators ?? p.indicators);
  const scoresFile = options.scores ?? p.assessmentScores;
  const file = existsSync(scoresFile) ? loadAssessmentScores(scoresFile, store.roster, indicators) : null;
  const { conn } = store;
  await conn.run(`CREATE OR REPLACE TABLE cb_indicators (code VARCHAR, name VARCHAR, domain VARCHAR, kind VARCHAR, weight DOUBLE, max_score DOUBLE)`);
  const ia = await conn.createAppender("cb_indicators");
  for (const i of indicators) {
    ia.appendVarchar(i.code);
    ia.appendVarchar(i.name);
    ia.appendVarchar(i.domain);
    ia.appendVarchar(i.kind);
    ia.appendDouble(i.weight);
    ia.appendDouble(i.maxScore);
    ia.endRow();
  }
  ia.closeSync();
  await conn.run(`CREATE OR REPLACE TABLE assessment_scores (year INTEGER, unit VARCHAR, indicator VARCHAR, score DOUBLE)`);
  const sa = await conn.createAppender("assessment_scores");
  for (const s of file?.scores ?? []) {
    sa.appendInteger(s.year);
    sa.appendVarchar(s.unit);
    sa.appendVarchar(s.indicator);
    sa.appendDouble(s.score);
    sa.endRow();
  }
  sa.closeSync();
  return { indicators, file };
}

export async function assessmentTotals(store: ReportStore): Promise<AssessmentTotalRow[]> {
  const rows = await runNamedQuery<{
    year: number; unit: string; name: string; category: string; party_building: number | null; business: number | null;
    process_weight_share: number | null; party_building_indicators: number; business_indicators: number;
  }>(store.conn, "assessment_totals_by_year_unit");
  return rows.map((r) => ({
    year: r.year,
    unit: r.unit,
    name: r.name,
    category: r.category,
    partyBuilding: r.party_building,
    business: r.business,
    processWeightShare: r.process_weight_share,
    partyBuildingIndicators: r.party_building_indicators,
    businessIndicators: r.business_indicators
  }));
}
