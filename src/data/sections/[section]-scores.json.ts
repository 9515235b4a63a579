// Any section page: mean, CI, 0–100 index, share agreeing and change since the previous wave per dimension and
// sub-dimension, wave and breakdown group, as a compact cube (loaders/sql/scale_scores_by_wave_group.sql →
// loaders/marts/section.ts · scaleScores → section-files.ts · sectionPageScores; small groups suppressed).
import { openReportStore } from "../../../loaders/marts/open.ts";
import { publishJson } from "../../../loaders/publish/publish.ts";
import { loaderParam, sectionPageScores } from "../../../loaders/marts/section-files.ts";

publishJson("sections/[section]-scores.json", await sectionPageScores(await openReportStore(), loaderParam("section")));
