// Any section page: mean, CI, 0–100 index, share agreeing and change since the previous wave per dimension and
// sub-dimension, wave and breakdown group, as a compact cube (pipeline/db/sql/scale_scores_by_wave_group.sql →
// pipeline/marts/section.ts · scaleScores → section-files.ts · sectionPageScores; small groups suppressed).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("sections/[section]-scores.json");
