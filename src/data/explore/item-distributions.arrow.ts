// 探索 · item_distributions: answer counts per Likert item, wave and breakdown group, one row per answer
// (pipeline/marts/section.ts · itemDistributions for each section → pipeline/marts/explore.ts; small groups suppressed).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("explore/item-distributions.arrow");
