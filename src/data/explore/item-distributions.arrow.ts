// 探索 · item_distributions: answer counts per Likert item, wave and breakdown group, one row per answer
// (loaders/marts/section.ts · itemDistributions for each section → loaders/marts/explore.ts; small groups suppressed).
import { publishArrow } from "../../../loaders/publish/publish.ts";
import { exploreItemDistributions } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";

publishArrow("explore/item-distributions.arrow", await exploreItemDistributions(await openReportStore()));
