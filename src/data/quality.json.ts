// 数据质量: files ingested with checksums, quarantined rows and reasons (never their cells), assessment rows rejected,
// speeders and straight-liners, skipped items per wave (pipeline/db/sql/quarantine_*.sql, quality_*.sql,
// missing_answers_by_wave_question.sql → pipeline/marts/quality.ts · qualityReport).
import { publishDataFile } from "../../pipeline/publish/data-files.ts";

await publishDataFile("quality.json");
