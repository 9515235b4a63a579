// 探索 · scale_scores: every section's scale scores per wave and breakdown group, as an Arrow IPC stream for DuckDB-wasm
// (pipeline/marts/section.ts · scaleScores for each section → pipeline/marts/explore.ts; small groups suppressed).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("explore/scale-scores.arrow");
