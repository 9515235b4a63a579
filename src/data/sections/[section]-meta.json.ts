// Any section page (工作成效, 存在问题, 原因剖析 …; the section is the file name's [section]): waves, breakdowns,
// names, scale labels, each item's wording and the measures addressing the section
// (pipeline/publish/section-files.ts · sectionPageMeta).
import { openReportStore } from "../../../pipeline/db/report-store.ts";
import { publishJson } from "../../../pipeline/publish/publish.ts";
import { loaderParam, sectionPageMeta } from "../../../pipeline/publish/section-files.ts";

publishJson("sections/[section]-meta.json", await sectionPageMeta(await openReportStore(), loaderParam("section")));
