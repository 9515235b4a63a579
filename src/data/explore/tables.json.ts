// 探索: the guide to the explore page's tables: each table's name, description and typed columns, with the waves
// and the minimum group size (pipeline/marts/explore.ts · exploreCatalog; no rows).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("explore/tables.json");
