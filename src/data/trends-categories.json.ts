// 趋势 by unit category (loaded only when the page's breakdown asks for it): the same series as trends.json for each
// unit category (pipeline/marts/trends.ts; small groups hidden).
import { openReportStore } from "../../pipeline/db/report-store.ts";
import { publishJson } from "../../pipeline/publish/publish.ts";
import { trends } from "../../pipeline/marts/trends.ts";

publishJson("trends-categories.json", await trends(await openReportStore(), "unit_category"));
