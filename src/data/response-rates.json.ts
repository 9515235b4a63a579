// Response rates against the roster per wave: all, unit category, unit (loaders/sql/group_sizes_by_wave.sql → loaders/marts/suppression.ts →
// loaders/marts/response-rates.ts; unit counts under the minimum group size suppressed).
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJson } from "../../loaders/publish/publish.ts";
import { responseRates } from "../../loaders/marts/response-rates.ts";

publishJson("response-rates.json", await responseRates(await openReportStore()));
