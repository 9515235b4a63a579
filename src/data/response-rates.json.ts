// Response rates against the roster per wave: all, unit category, unit (pipeline/db/sql/group_sizes_by_wave.sql → pipeline/marts/suppression.ts →
// pipeline/marts/response-rates.ts; unit counts under the minimum group size suppressed).
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { publishJson } from "../../pipeline/publish/publish.ts";
import { responseRates } from "../../pipeline/marts/response-rates.ts";

publishJson("response-rates.json", await responseRates(await openReportStore()));
