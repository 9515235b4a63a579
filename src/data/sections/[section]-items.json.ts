// Any section page: answer counts per item, wave and breakdown group for the diverging Likert bars, as a compact cube
// (pipeline/db/sql/item_distribution_by_wave_group.sql → pipeline/marts/section.ts · itemDistributions →
// section-files.ts · sectionPageItems; small groups suppressed).
import { openReportStore } from "../../../pipeline/db/report-store.ts";
import { publishJson } from "../../../pipeline/publish/publish.ts";
import { loaderParam, sectionPageItems } from "../../../pipeline/publish/section-files.ts";

publishJson("sections/[section]-items.json", await sectionPageItems(await openReportStore(), loaderParam("section")));
