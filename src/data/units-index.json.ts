// 各单位 (index): the roster by unit category with each unit's response rate per wave and its 原因剖析 index in the latest
// wave as its page shows it (pipeline/db/sql/group_sizes_by_wave.sql → pipeline/marts/suppression.ts →
// pipeline/marts/units.ts · unitDirectory, which reads unitPages; small counts hidden).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("units-index.json");
