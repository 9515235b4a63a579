// 探索 · scale_scores: every section's scale scores per wave and breakdown group, as an Arrow IPC stream for DuckDB-wasm
// (loaders/marts/section.ts · scaleScores for each section → loaders/marts/explore.ts; small groups suppressed).
import { publishArrow } from "../../../loaders/publish/publish.ts";
import { exploreScaleScores } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";

publishArrow("explore/scale-scores.arrow", await exploreScaleScores(await openReportStore()));
