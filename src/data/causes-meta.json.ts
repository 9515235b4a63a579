// 原因剖析: waves, breakdowns, names and scale labels for the page's inputs (loaders/marts/section.ts · sectionMeta).
import { openReportStore } from "../../loaders/marts/open.ts";
import { writeJson } from "../../loaders/marts/output.ts";
import { sectionMeta } from "../../loaders/marts/section.ts";

writeJson(await sectionMeta(await openReportStore(), "causes"));
