// 考核 beside the survey: what cadres say the assessment looks at (question assessment_focus), and each unit's 考核机制
// index (sub-dimension mech_assessment; units under the minimum suppressed) against its party-building total
// (pipeline/db/sql/choice_counts_by_wave.sql, subdimension_scores_by_wave_unit.sql → pipeline/marts/assessment.ts).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("assessment-survey.json");
