// Any section page: mean, CI, 0–100 index, share agreeing and change since the previous wave per dimension and
// sub-dimension, wave and breakdown group, as a compact cube (pipeline/db/sql/scale_scores_by_wave_group.sql →
// pipeline/marts/section.ts · scaleScores → section-files.ts · sectionPageScores; small groups suppressed).
import { openReportStore } from "../../../pipeline/db/report-store.ts";
import { publishJson } from "../../../pipeline/publish/publish.ts";
import { loaderParam, sectionPageScores } from "../../../pipeline/publish/section-files.ts";

publishJson("sections/[section]-scores.json", await sectionPageScores(await openReportStore(), loaderParam("section")));
