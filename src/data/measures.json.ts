// 对策建议: for every wave and unit category, the report's measures (codebook `measures`) ranked by the weakness of the
// sub-dimensions each part addresses, with that evidence (index, CI, share agreeing, change) and the respondents' own
// demand for each measure (pipeline/marts/measures.ts · measurePriorities, from section.ts · scaleScores).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("measures.json");
