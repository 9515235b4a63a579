// 对策建议: for every wave and unit category, the report's measures (codebook `measures`) ranked by the weakness of the
// sub-dimensions each part addresses, with that evidence (index, CI, share agreeing, change) and the respondents' own
// demand for each measure (loaders/marts/measures.ts · measurePriorities, from section.ts · scaleScores).
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJson } from "../../loaders/publish/publish.ts";
import { measuresPageData } from "../../loaders/marts/measures.ts";

publishJson("measures.json", await measuresPageData(await openReportStore()));
