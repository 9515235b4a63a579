// Any section page (工作成效, 存在问题, 原因剖析 …; the section is the file name's [section]): waves, breakdowns,
// names, scale labels, each item's wording and the measures addressing the section
// (pipeline/publish/section-files.ts · sectionPageMeta).
import { publishDataFile } from "../../../pipeline/publish/data-files.ts";

await publishDataFile("sections/[section]-meta.json");
