-- scale_scores_by_wave_group: for one section, per wave, breakdown group and scale (section, dimension or
-- sub-dimension): the respondents with an answer to the scale (n) and the sums that give the mean of all their
-- answers and its standard error (pipeline/stats/ratio.ts: s = a respondent's sum of keyed answers to the scale's
-- items, m = their number), and how many of them agree on average (their mean answer at or above agreeFrom).
-- The published mean is Σs / Σm, the mean of every answer given: exactly what the group's item counts say, so that
-- the two, published together, reveal nothing about those who skipped an item (docs/anonymity.md).
-- cache: per wave
WITH respondent_sums AS (
  SELECT wave, respondent_id, 'section' AS level, section AS code, sum(keyed) AS s, count(*) AS m, any_value(agree_from) AS agree_from
  FROM keyed_likert_answers WHERE section = $section GROUP BY wave, respondent_id, section
  UNION ALL
  SELECT wave, respondent_id, 'dimension', dimension, sum(keyed), count(*), any_value(agree_from)
  FROM keyed_likert_answers WHERE section = $section GROUP BY wave, respondent_id, dimension
  UNION ALL
  SELECT wave, respondent_id, 'subdimension', subdimension, sum(keyed), count(*), any_value(agree_from)
  FROM keyed_likert_answers WHERE section = $section GROUP BY wave, respondent_id, subdimension
), profile_sums AS (
  -- summed per respondent profile first (respondent_profiles): every sum below is additive, and exact (integers)
  SELECT s.wave, p.profile, s.level, s.code, count(*) AS n, sum(s.s) AS sum_s, sum(s.m) AS sum_m,
         sum(s.s * s.s) AS sum_ss, sum(s.m * s.m) AS sum_mm, sum(s.s * s.m) AS sum_sm,
         count(*) FILTER (WHERE s.s / s.m >= s.agree_from) AS n_agree
  FROM respondent_sums s
  JOIN respondent_profiles p ON p.respondent_id = s.respondent_id
  GROUP BY s.wave, p.profile, s.level, s.code
)
SELECT s.wave, g.grouping, g.grp AS "group", min(g.grp_order) AS group_order, s.level, s.code,
       sum(s.n)::INTEGER AS n,
       sum(s.sum_s)::DOUBLE AS sum_s, sum(s.sum_m)::DOUBLE AS sum_m, sum(s.sum_ss)::DOUBLE AS sum_ss,
       sum(s.sum_mm)::DOUBLE AS sum_mm, sum(s.sum_sm)::DOUBLE AS sum_sm,
       sum(s.n_agree)::INTEGER AS n_agree
FROM profile_sums s
JOIN profile_groups g ON g.wave = s.wave AND g.profile = s.profile
GROUP BY s.wave, g.grouping, g.grp, s.level, s.code
ORDER BY s.wave, g.grouping, group_order, s.level, s.code;
