-- scale_scores_by_wave_group: for one section, per wave, breakdown group and scale (section, dimension or
-- sub-dimension): the respondents with an answer to the scale (n) and the sums that give the mean of all their
-- answers and its standard error (pipeline/stats/ratio.ts: s = a respondent's sum of keyed answers to the scale's
-- items, m = their number), and how many of them agree on average (their mean answer at or above agreeFrom).
-- The published mean is Σs / Σm, the mean of every answer given: exactly what the group's item counts say, so that
-- the two, published together, reveal nothing about those who skipped an item (docs/anonymity.md).
-- The answers are grouped by the respondents' and scales' numbers (keyed_likert_answer_rows) and the codes taken
-- back per profile and scale. A scale's agreeFrom is that of its first item in the codebook, the one its page prints
-- (pipeline/codebook/scales.ts); a codebook keeps one answer scale per section.
-- cache: per wave
WITH items AS (
  SELECT l.*, q.position FROM cb_likert_numbered l JOIN cb_questions q ON q.question = l.question
  WHERE l.section = $section
), scales AS (
  SELECT 'section' AS level, section_no AS no, any_value(section) AS code, arg_min(agree_from, position) AS agree_from
  FROM items GROUP BY section_no
  UNION ALL
  SELECT 'dimension', dimension_no, any_value(dimension), arg_min(agree_from, position)
  FROM items GROUP BY dimension_no
  UNION ALL
  SELECT 'subdimension', subdimension_no, any_value(subdimension), arg_min(agree_from, position)
  FROM items GROUP BY subdimension_no
), answers_of_section AS (
  SELECT * FROM keyed_likert_answer_rows
  WHERE section_no IN (SELECT no FROM scales WHERE level = 'section')
), respondent_sums AS (
  SELECT wave, respondent_no, 'section' AS level, section_no AS no, sum(keyed) AS s, count(*) AS m
  FROM answers_of_section GROUP BY wave, respondent_no, section_no
  UNION ALL
  SELECT wave, respondent_no, 'dimension', dimension_no, sum(keyed), count(*)
  FROM answers_of_section GROUP BY wave, respondent_no, dimension_no
  UNION ALL
  SELECT wave, respondent_no, 'subdimension', subdimension_no, sum(keyed), count(*)
  FROM answers_of_section GROUP BY wave, respondent_no, subdimension_no
), profile_sums AS (
  -- summed per respondent profile first (respondent_profiles): every sum below is additive, and exact (integers)
  SELECT s.wave, p.profile, s.level, s.no, count(*) AS n, sum(s.s) AS sum_s, sum(s.m) AS sum_m,
         sum(s.s * s.s) AS sum_ss, sum(s.m * s.m) AS sum_mm, sum(s.s * s.m) AS sum_sm,
         count(*) FILTER (WHERE s.s / s.m >= c.agree_from) AS n_agree
  FROM respondent_sums s
  JOIN scales c ON c.level = s.level AND c.no = s.no
  JOIN respondent_profiles p ON p.respondent_no = s.respondent_no
  GROUP BY s.wave, p.profile, s.level, s.no
)
SELECT s.wave, g.grouping, g.grp AS "group", min(g.grp_order) AS group_order, s.level, c.code,
       sum(s.n)::INTEGER AS n,
       sum(s.sum_s)::DOUBLE AS sum_s, sum(s.sum_m)::DOUBLE AS sum_m, sum(s.sum_ss)::DOUBLE AS sum_ss,
       sum(s.sum_mm)::DOUBLE AS sum_mm, sum(s.sum_sm)::DOUBLE AS sum_sm,
       sum(s.n_agree)::INTEGER AS n_agree
FROM profile_sums s
JOIN scales c ON c.level = s.level AND c.no = s.no
JOIN profile_groups g ON g.wave = s.wave AND g.profile = s.profile
GROUP BY s.wave, g.grouping, g.grp, s.level, c.code
ORDER BY s.wave, g.grouping, group_order, s.level, c.code;
