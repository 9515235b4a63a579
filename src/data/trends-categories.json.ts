// 趋势 by unit category (loaded only when the page's breakdown asks for it): the same series as trends.json for each
// unit category (pipeline/marts/trends.ts; small groups hidden).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("trends-categories.json");
