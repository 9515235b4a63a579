-- respondent_scale_sums: one row per respondent, wave and scale they answered — every section, dimension and
-- sub-dimension of the codebook (level, code, and the section it belongs to) — with s = the sum of their keyed answers
-- to the scale's items, m = how many of its items they answered (their scale score is s / m, the mean of the keyed
-- items they answered) and the scale's agree_from. Speeders etc. are left out, as by keyed_likert_answers. The
-- respondent-level scores every scale query starts from (scale_scores_by_wave_group, scale_scores_by_wave_unit,
-- subdimension_scores_by_wave_unit, scale_correlations_by_wave): a wave's rows depend on that wave alone, so they are
-- computed once per wave and kept as Parquet in the query cache (pipeline/db/query-cache.ts):
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW respondent_scale_sums AS
-- One pass over the answers, by sub-dimension; the dimensions' and sections' sums add those up (the keyed answers are
-- whole numbers, so the sums are exact in any order).
WITH subdimension_sums AS MATERIALIZED (
  SELECT wave, respondent_id, section, dimension, subdimension,
         sum(keyed) AS s, count(*) AS m, any_value(agree_from) AS agree_from
  FROM keyed_likert_answers
  GROUP BY wave, respondent_id, section, dimension, subdimension
)
SELECT wave, respondent_id, section, 'section' AS level, section AS code,
       sum(s) AS s, sum(m)::BIGINT AS m, any_value(agree_from) AS agree_from
FROM subdimension_sums
GROUP BY wave, respondent_id, section
UNION ALL
SELECT wave, respondent_id, section, 'dimension', dimension, sum(s), sum(m)::BIGINT, any_value(agree_from)
FROM subdimension_sums
GROUP BY wave, respondent_id, section, dimension
UNION ALL
SELECT wave, respondent_id, section, 'subdimension', subdimension, s, m, agree_from
FROM subdimension_sums;
