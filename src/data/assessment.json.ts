// 考核: indicators, per-indicator scores and weighted totals per year and unit, medians and quadrants, each indicator's
// spread, weight by kind (pipeline/db/sql/assessment_*.sql, indicator_*.sql → pipeline/marts/assessment.ts · assessmentReport).
import { assessmentReport } from "../../pipeline/marts/assessment.ts";
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { publishJson } from "../../pipeline/publish/publish.ts";

publishJson("assessment.json", await assessmentReport(await openReportStore()));
