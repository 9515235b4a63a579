// 探索 · item_distributions: answer counts per Likert item, wave and breakdown group, one row per answer
// (loaders/marts/section.ts · itemDistributions for each section → loaders/marts/explore.ts; small groups suppressed).
import { writeArrow } from "../../../loaders/marts/arrow.ts";
import { exploreItemDistributions } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";

writeArrow(await exploreItemDistributions(await openReportStore()));
