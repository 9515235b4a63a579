-- subdimension_scores_by_wave_unit: for one sub-dimension ($subdimension), per wave and roster unit, n respondents,
-- mean and SD of their sub-dimension scores (a respondent's score is the mean of the keyed items answered, as in
-- scale_scores_by_wave_group; speeders etc. are left out by keyed_likert_answers). Units without respondents have no row.
-- cache: per wave
WITH respondent_scores AS (
  SELECT wave, respondent_id, avg(keyed) AS score
  FROM keyed_likert_answers WHERE subdimension = $subdimension
  GROUP BY wave, respondent_id
)
SELECT s.wave, r.unit, u.category, count(*)::INTEGER AS n, avg(s.score) AS mean, stddev_samp(s.score) AS sd
FROM respondent_scores s
JOIN respondents r ON r.respondent_id = s.respondent_id
JOIN cb_roster u ON u.unit = r.unit
GROUP BY s.wave, r.unit, u.category
ORDER BY s.wave, r.unit;
