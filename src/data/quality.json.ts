// 数据质量: files ingested with checksums, quarantined rows and reasons (never their cells), assessment rows rejected,
// speeders and straight-liners, skipped items per wave (loaders/sql/quarantine_*.sql, quality_*.sql,
// missing_answers_by_wave_question.sql → loaders/marts/quality.ts · qualityReport).
import { openReportStore } from "../../loaders/marts/open.ts";
import { publishJson } from "../../loaders/publish/publish.ts";
import { qualityReport } from "../../loaders/marts/quality.ts";

publishJson("quality.json", await qualityReport(await openReportStore()));
