// 探索 · item_distributions: answer counts per Likert item, wave and breakdown group, one row per answer
// (pipeline/marts/section.ts · itemDistributions for each section → pipeline/marts/explore.ts; small groups suppressed).
import { publishArrow } from "../../../pipeline/publish/publish.ts";
import { exploreItemDistributions } from "../../../pipeline/marts/explore.ts";
import { openReportStore } from "../../../pipeline/db/report-store.ts";

publishArrow("explore/item-distributions.arrow", await exploreItemDistributions(await openReportStore()));
