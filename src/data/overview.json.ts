// 概览: the latest wave for leaders — response rates, section and 原因剖析 indices with their change and its test,
// the 原因剖析 dimensions over every wave (trends.json's figures, for the page's chart), the weakest sub-dimensions
// with the measures that address them, the units that lag (pipeline/marts/overview.ts).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("overview.json");
