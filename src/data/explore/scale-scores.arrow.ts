// 探索 · scale_scores: every section's scale scores per wave and breakdown group, as an Arrow IPC stream for DuckDB-wasm
// (pipeline/marts/section.ts · scaleScores for each section → pipeline/marts/explore.ts; small groups suppressed).
import { publishArrow } from "../../../pipeline/publish/publish.ts";
import { exploreScaleScores } from "../../../pipeline/marts/explore.ts";
import { openReportStore } from "../../../pipeline/db/report-store.ts";

publishArrow("explore/scale-scores.arrow", await exploreScaleScores(await openReportStore()));
