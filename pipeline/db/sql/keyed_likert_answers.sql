-- keyed_likert_answers: one row per answered Likert item of a respondent who counts for scale statistics,
-- with the raw score and the keyed score (reverse-keyed items mirrored: min + max - raw).
-- Respondents flagged by the codebook's quality.excludeFromScores (speeders, straight-liners) are left out here.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW keyed_likert_answers AS
SELECT a.wave, a.respondent_id, l.question, l.subdimension, l.dimension, l.section,
       a.value AS raw,
       CASE WHEN l.reverse THEN l.scale_min + l.scale_max - a.value ELSE a.value END AS keyed,
       l.scale_min, l.scale_max, l.agree_from
FROM answers a
JOIN cb_likert l ON a.question = l.question
JOIN respondents r ON r.respondent_id = a.respondent_id
CROSS JOIN cb_quality q
WHERE a.value IS NOT NULL
  AND NOT (r.is_speeder AND q.exclude_speeders)
  AND NOT (r.is_straightliner AND q.exclude_straightliners);
