// 趋势 by unit category (loaded only when the page's breakdown asks for it): the same series as trends.json for each
// unit category (loaders/marts/trends.ts; small groups hidden).
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJson } from "../../loaders/publish/publish.ts";
import { trends } from "../../loaders/marts/trends.ts";

publishJson("trends-categories.json", await trends(await openReportStore(), "unit_category"));
