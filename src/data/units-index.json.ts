// 各单位 (index): the roster by unit category with each unit's response rate per wave
// (loaders/sql/group_sizes_by_wave.sql → loaders/marts/suppression.ts → loaders/marts/units.ts · unitDirectory; small counts hidden).
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJson } from "../../loaders/publish/publish.ts";
import { unitDirectory } from "../../loaders/marts/units.ts";

publishJson("units-index.json", await unitDirectory(await openReportStore()));
