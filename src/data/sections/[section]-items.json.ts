// Any section page: answer counts per item, wave and breakdown group for the diverging Likert bars, as a compact cube
// (loaders/sql/item_distribution_by_wave_group.sql → loaders/marts/section.ts · itemDistributions →
// section-files.ts · sectionPageItems; small groups suppressed).
import { openReportStore } from "../../../loaders/marts/open.ts";
import { publishJson } from "../../../loaders/publish/publish.ts";
import { loaderParam, sectionPageItems } from "../../../loaders/marts/section-files.ts";

publishJson("sections/[section]-items.json", await sectionPageItems(await openReportStore(), loaderParam("section")));
