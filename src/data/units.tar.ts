// 各单位: one small JSON per roster unit (units/<code>.json, read by src/units/[unit].md as data/units/<code>.json),
// written once as a tarball that Framework extracts file by file (pipeline/marts/units.ts · unitPages: section and
// 原因剖析 indices per wave against the category and the whole, response rate, assessment totals; small groups hidden).
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { publishJsonArchive } from "../../pipeline/publish/publish.ts";
import { FOCUS_SECTION, unitPages } from "../../pipeline/marts/units.ts";

const pages = await unitPages(await openReportStore(), FOCUS_SECTION);
publishJsonArchive("units/[unit].json", pages.map((page) => ({ name: `${page.unit.code}.json`, value: page })));
