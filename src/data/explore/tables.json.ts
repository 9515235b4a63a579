// 探索: the guide to the explore page's tables: each table's name, description and typed columns, with the waves
// and the minimum group size (loaders/marts/explore.ts · exploreCatalog; no rows).
import { exploreCatalog } from "../../../loaders/marts/explore.ts";
import { openReportStore } from "../../../loaders/marts/open.ts";
import { writeJson } from "../../../loaders/marts/output.ts";

writeJson(await exploreCatalog(await openReportStore()));
