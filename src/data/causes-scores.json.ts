// 原因剖析: mean, CI, 0–100 index and share agreeing per cause and sub-dimension, wave and group
// (loaders/sql/scale_scores_by_wave_group.sql → loaders/marts/section.ts · scaleScores; small groups suppressed).
import { openReportStore } from "../../loaders/marts/open.ts";
import { writeJson } from "../../loaders/marts/output.ts";
import { scaleScores } from "../../loaders/marts/section.ts";

writeJson(await scaleScores(await openReportStore(), "causes"));
