// Response rates against the roster per wave: all, unit category, unit (pipeline/db/sql/group_sizes_by_wave.sql → pipeline/marts/suppression.ts →
// pipeline/marts/response-rates.ts; unit counts under the minimum group size suppressed).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("response-rates.json");
