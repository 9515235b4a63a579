// 探索: the guide to the explore page's tables: each table's name, description and typed columns, with the waves
// and the minimum group size (loaders/marts/explore.ts · exploreCatalog; no rows).
import { exploreCatalog } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";
import { publishJson } from "../../../loaders/publish/publish.ts";

publishJson("explore/tables.json", await exploreCatalog(await openReportStore()));
