-- respondent_groups: one row per respondent and breakdown it belongs to (grouping, group, group_order).
-- 'all' holds everyone; each codebook attribute except the unit itself (身份, 年限 …) is a grouping by its answer;
-- unit_category comes from the roster. A respondent who skipped an attribute is in no group of that grouping.
-- Joined by every breakdown query: computed once per wave and kept as Parquet in the query cache (query-cache.ts):
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW respondent_groups AS
SELECT r.respondent_id, r.wave, 'all' AS grouping, '全体' AS grp, 0 AS grp_order
FROM respondents r
UNION ALL
SELECT a.respondent_id, a.wave, t.attribute, a.label, a.option
FROM answers a JOIN cb_attributes t ON a.question = t.question
WHERE t.attribute <> 'unit' AND a.label IS NOT NULL
UNION ALL
SELECT r.respondent_id, r.wave, 'unit_category', u.category, u.category_order
FROM respondents r JOIN cb_roster u ON r.unit = u.unit;
