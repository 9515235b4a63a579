-- scale_scores_by_wave_unit: per wave, roster unit and scale (every section and every dimension of the codebook):
-- n respondents, mean and SD of their scale scores. A respondent's scale score is the mean of the keyed items they
-- answered (missing items are not imputed), exactly as in scale_scores_by_wave_group; speeders etc. are left out by
-- keyed_likert_answers. Only units on the roster; a unit-wave without respondents has no row.
-- cache: per wave
WITH respondent_scores AS (
  SELECT wave, respondent_id, 'section' AS level, section AS code, avg(keyed) AS score
  FROM keyed_likert_answers GROUP BY wave, respondent_id, section
  UNION ALL
  SELECT wave, respondent_id, 'dimension', dimension, avg(keyed)
  FROM keyed_likert_answers GROUP BY wave, respondent_id, dimension
)
SELECT s.wave, r.unit, s.level, s.code,
       count(*)::INTEGER AS n, avg(s.score) AS mean, stddev_samp(s.score) AS sd
FROM respondent_scores s
JOIN respondents r ON r.respondent_id = s.respondent_id
JOIN cb_roster u ON u.unit = r.unit
GROUP BY s.wave, r.unit, s.level, s.code
ORDER BY s.wave, r.unit, s.level, s.code;
