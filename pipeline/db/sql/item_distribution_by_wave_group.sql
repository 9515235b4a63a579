-- item_distribution_by_wave_group: for one section, per wave, breakdown group and Likert item, how many
-- respondents gave each raw score (as answered, before reverse keying).
-- cache: per wave
WITH profile_counts AS (
  -- counted per respondent profile first (respondent_profiles), then spread to each of its groups
  SELECT k.wave, p.profile, k.question, k.raw, count(*) AS n
  FROM keyed_likert_answers k
  JOIN respondent_profiles p ON p.respondent_id = k.respondent_id
  WHERE k.section = $section
  GROUP BY k.wave, p.profile, k.question, k.raw
)
SELECT c.wave, g.grouping, g.grp AS "group", min(g.grp_order) AS group_order, c.question, c.raw::INTEGER AS score,
       sum(c.n)::INTEGER AS n
FROM profile_counts c
JOIN profile_groups g ON g.wave = c.wave AND g.profile = c.profile
GROUP BY c.wave, g.grouping, g.grp, c.question, c.raw
ORDER BY c.wave, g.grouping, group_order, c.question, score;
