// 探索 · scale_scores: every section's scale scores per wave and breakdown group, as an Arrow IPC stream for DuckDB-wasm
// (loaders/marts/section.ts · scaleScores for each section → loaders/marts/explore.ts; small groups suppressed).
import { writeArrow } from "../../../loaders/marts/arrow.ts";
import { exploreScaleScores } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";

writeArrow(await exploreScaleScores(await openReportStore()));
