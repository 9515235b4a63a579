// 探索: the guide to the explore page's tables: each table's name, description and typed columns, with the waves
// and the minimum group size (pipeline/marts/explore.ts · exploreCatalog; no rows).
import { exploreCatalog } from "../../../pipeline/marts/explore.ts";
import { openReportStore } from "../../../pipeline/db/report-store.ts";
import { publishJson } from "../../../pipeline/publish/publish.ts";

publishJson("explore/tables.json", await exploreCatalog(await openReportStore()));
