-- keyed_likert_answer_rows: one row per answered Likert item of a respondent who counts for scale statistics, kept
-- compact: the respondent by their number in respondent_numbers, the item, its sub-dimension, dimension and section
-- by their numbers in cb_likert_numbered, the raw score and the keyed score (reverse-keyed items mirrored:
-- min + max - raw). The query cache writes it to Parquet once per wave and every scale query of the wave reads it:
-- with the four codes as texts, writing them was half of writing the view, and grouping by numbers is no slower
-- (docs/scale.md, "The keyed answers kept as numbers"); with the respondent's text id, grouping per respondent was
-- slower ("The respondents as numbers").
-- Respondents flagged by the codebook's quality.excludeFromScores (speeders, straight-liners) are left out here.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW keyed_likert_answer_rows AS
SELECT a.wave, r.respondent_no, l.item, l.subdimension_no, l.dimension_no, l.section_no,
       a.value AS raw,
       CASE WHEN l.reverse THEN l.scale_min + l.scale_max - a.value ELSE a.value END AS keyed
FROM answers a
JOIN cb_likert_numbered l ON a.question = l.question
JOIN respondent_numbers r ON r.respondent_id = a.respondent_id
CROSS JOIN cb_quality q
WHERE a.value IS NOT NULL
  AND NOT (r.is_speeder AND q.exclude_speeders)
  AND NOT (r.is_straightliner AND q.exclude_straightliners);
