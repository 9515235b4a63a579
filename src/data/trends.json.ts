// 趋势: every section, dimension and sub-dimension over the waves for all respondents: index,
// 95% interval, change since the previous wave and its Welch t test (pipeline/marts/trends.ts; small groups hidden).
// By unit category: trends-categories.json.
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("trends.json");
