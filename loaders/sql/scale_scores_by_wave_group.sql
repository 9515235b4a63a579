-- scale_scores_by_wave_group: for one section, per wave, breakdown group and scale (section, dimension or
-- sub-dimension): n respondents, mean and SD of their scale scores, and how many of them agree on average.
-- A respondent's scale score is the mean of the keyed items they answered (missing items are not imputed).
-- cache: per wave
WITH respondent_scores AS (
  SELECT wave, respondent_id, 'section' AS level, section AS code, avg(keyed) AS score, any_value(agree_from) AS agree_from
  FROM keyed_likert_answers WHERE section = $section GROUP BY wave, respondent_id, section
  UNION ALL
  SELECT wave, respondent_id, 'dimension', dimension, avg(keyed), any_value(agree_from)
  FROM keyed_likert_answers WHERE section = $section GROUP BY wave, respondent_id, dimension
  UNION ALL
  SELECT wave, respondent_id, 'subdimension', subdimension, avg(keyed), any_value(agree_from)
  FROM keyed_likert_answers WHERE section = $section GROUP BY wave, respondent_id, subdimension
)
SELECT s.wave, g.grouping, g.grp AS "group", min(g.grp_order) AS group_order, s.level, s.code,
       count(*)::INTEGER AS n, avg(s.score) AS mean, stddev_samp(s.score) AS sd,
       (count(*) FILTER (WHERE s.score >= s.agree_from))::INTEGER AS n_agree
FROM respondent_scores s
JOIN respondent_groups g ON g.respondent_id = s.respondent_id
GROUP BY s.wave, g.grouping, g.grp, s.level, s.code
ORDER BY s.wave, g.grouping, group_order, s.level, s.code;
