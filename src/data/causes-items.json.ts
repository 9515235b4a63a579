// 原因剖析: answer counts per item, wave and group for the diverging Likert bars
// (loaders/sql/item_distribution_by_wave_group.sql → loaders/marts/section.ts · itemDistributions).
import { openReportStore } from "../../loaders/marts/open.ts";
import { writeJson } from "../../loaders/marts/output.ts";
import { itemDistributions } from "../../loaders/marts/section.ts";

writeJson(await itemDistributions(await openReportStore(), "causes"));
