// 考核: indicators, per-indicator scores and weighted totals per year and unit, medians and quadrants, each indicator's
// spread, weight by kind (loaders/sql/assessment_*.sql, indicator_*.sql → loaders/marts/assessment.ts · assessmentReport).
import { assessmentReport } from "../../loaders/marts/assessment.ts";
import { openReportStore } from "../../loaders/marts/open.ts";
import { writeJson } from "../../loaders/marts/output.ts";

writeJson(await assessmentReport(await openReportStore()));
