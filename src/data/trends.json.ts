// 趋势: every section, dimension and sub-dimension over the waves for all respondents: index,
// 95% interval, change since the previous wave and its Welch t test (pipeline/marts/trends.ts; small groups hidden).
// By unit category: trends-categories.json.
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { publishJson } from "../../pipeline/publish/publish.ts";
import { trends } from "../../pipeline/marts/trends.ts";

publishJson("trends.json", await trends(await openReportStore(), "all"));
