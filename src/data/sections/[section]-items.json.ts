// Any section page: answer counts per item, wave and breakdown group for the diverging Likert bars, as a compact cube
// (pipeline/db/sql/item_distribution_by_wave_group.sql → pipeline/marts/section.ts · itemDistributions →
// section-files.ts · sectionPageItems; small groups suppressed).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("sections/[section]-items.json");
