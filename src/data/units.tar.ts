// 各单位: one small JSON per roster unit (units/<code>.json, read by src/units/[unit].md as data/units/<code>.json),
// written once as a tarball that Framework extracts file by file (loaders/marts/units.ts · unitPages: section and
// 原因剖析 indices per wave against the category and the whole, response rate, assessment totals; small groups hidden).
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJsonArchive } from "../../loaders/publish/publish.ts";
import { unitPages } from "../../loaders/marts/units.ts";

const pages = await unitPages(await openReportStore(), "causes");
publishJsonArchive("units/[unit].json", pages.map((page) => ({ name: `${page.unit.code}.json`, value: page })));
