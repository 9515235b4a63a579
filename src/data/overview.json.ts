// 概览: the latest wave for leaders — response rates, section and 原因剖析 indices with their change and its test,
// the weakest sub-dimensions with the measures that address them, the units that lag (loaders/marts/overview.ts).
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJson } from "../../loaders/publish/publish.ts";
import { overview } from "../../loaders/marts/overview.ts";

publishJson("overview.json", await overview(await openReportStore(), "causes"));
