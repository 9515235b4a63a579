// 考核: indicators, per-indicator scores and weighted totals per year and unit, medians and quadrants, each indicator's
// spread, weight by kind (pipeline/db/sql/assessment_*.sql, indicator_*.sql → pipeline/marts/assessment.ts · assessmentReport).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("assessment.json");
