// Any section page (工作成效, 存在问题, 原因剖析 …; the section is the file name's [section]): waves, breakdowns,
// names, scale labels, each item's wording and the measures addressing the section
// (loaders/marts/section-files.ts · sectionPageMeta).
import { openReportStore } from "../../../loaders/marts/open.ts";
import { publishJson } from "../../../loaders/publish/publish.ts";
import { loaderParam, sectionPageMeta } from "../../../loaders/marts/section-files.ts";

publishJson("sections/[section]-meta.json", await sectionPageMeta(await openReportStore(), loaderParam("section")));
