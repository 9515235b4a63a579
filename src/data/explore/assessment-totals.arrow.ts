// 探索 · assessment_totals: each unit's weighted party-building and business assessment scores per year
// (loaders/sql/assessment_totals_by_year_unit.sql → loaders/marts/assessment.ts → loaders/marts/explore.ts).
import { publishArrow } from "../../../loaders/publish/publish.ts";
import { exploreAssessmentTotals } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";

publishArrow("explore/assessment-totals.arrow", await exploreAssessmentTotals(await openReportStore()));
