// 探索 · response_rates: respondents against the roster per wave, for all, each unit category and each unit
// (loaders/marts/response-rates.ts → loaders/marts/explore.ts; unit counts under the minimum suppressed).
import { publishArrow } from "../../../loaders/publish/publish.ts";
import { exploreResponseRates } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";

publishArrow("explore/response-rates.arrow", await exploreResponseRates(await openReportStore()));
