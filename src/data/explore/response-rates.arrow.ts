// 探索 · response_rates: respondents against the roster per wave, for all, each unit category and each unit
// (pipeline/marts/response-rates.ts → pipeline/marts/explore.ts; unit counts under the minimum suppressed).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("explore/response-rates.arrow");
