// 考核: indicators, per-indicator scores and weighted totals per year and unit, medians and quadrants, each indicator's
// spread, weight by kind (loaders/sql/assessment_*.sql, indicator_*.sql → loaders/marts/assessment.ts · assessmentReport).
import { assessmentReport } from "../../loaders/marts/assessment.ts";
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJson } from "../../loaders/publish/publish.ts";

publishJson("assessment.json", await assessmentReport(await openReportStore()));
