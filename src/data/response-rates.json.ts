// Response rates against the roster per wave: all, unit category, unit (loaders/sql/response_counts_by_wave_unit.sql →
// loaders/marts/response-rates.ts; unit counts under the minimum group size suppressed).
import { openReportStore } from "../../loaders/marts/open.ts";
import { writeJson } from "../../loaders/marts/output.ts";
import { responseRates } from "../../loaders/marts/response-rates.ts";

writeJson(await responseRates(await openReportStore()));
