// 探索 · response_rates: respondents against the roster per wave, for all, each unit category and each unit
// (pipeline/marts/response-rates.ts → pipeline/marts/explore.ts; unit counts under the minimum suppressed).
import { publishArrow } from "../../../pipeline/publish/publish.ts";
import { exploreResponseRates } from "../../../pipeline/marts/explore.ts";
import { openReportStore } from "../../../pipeline/db/report-store.ts";

publishArrow("explore/response-rates.arrow", await exploreResponseRates(await openReportStore()));
