// 各单位 (index): the roster by unit category with each unit's response rate per wave
// (loaders/sql/response_counts_by_wave_unit.sql → loaders/marts/units.ts · unitDirectory; small counts hidden).
import { openReportStore } from "../../loaders/marts/open.ts";
import { writeJson } from "../../loaders/marts/output.ts";
import { unitDirectory } from "../../loaders/marts/units.ts";

writeJson(await unitDirectory(await openReportStore()));
