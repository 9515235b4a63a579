// 对策建议: for every wave and unit category, the report's measures (codebook `measures`) ranked by the weakness of the
// sub-dimensions each part addresses, with that evidence (index, CI, share agreeing, change) and the respondents' own
// demand for each measure (pipeline/marts/measures.ts · measurePriorities, from section.ts · scaleScores).
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { publishJson } from "../../pipeline/publish/publish.ts";
import { measuresPageData } from "../../pipeline/marts/measures.ts";

publishJson("measures.json", await measuresPageData(await openReportStore()));
