// 探索 · assessment_totals: each unit's weighted party-building and business assessment scores per year
// (pipeline/db/sql/assessment_totals_by_year_unit.sql → pipeline/marts/assessment.ts → pipeline/marts/explore.ts).
import { publishArrow } from "../../../pipeline/publish/publish.ts";
import { exploreAssessmentTotals } from "../../../pipeline/marts/explore.ts";
import { openReportStore } from "../../../pipeline/db/report-store.ts";

publishArrow("explore/assessment-totals.arrow", await exploreAssessmentTotals(await openReportStore()));
