// 探索 · assessment_totals: each unit's weighted party-building and business assessment scores per year
// (pipeline/db/sql/assessment_totals_by_year_unit.sql → pipeline/marts/assessment.ts → pipeline/marts/explore.ts).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("explore/assessment-totals.arrow");
