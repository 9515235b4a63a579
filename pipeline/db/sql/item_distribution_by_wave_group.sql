-- item_distribution_by_wave_group: per wave, breakdown group and Likert item (every section's), how many
-- respondents gave each raw score (as answered, before reverse keying). Every section's items at once: each section's
-- page and the explore file need all of them, and one aggregate over a wave's answers took 0.31–0.36 s at 1 M against
-- 0.63 s for four, one per section (2.6 s against 4.5 s at 10 M; docs/scale.md).
-- cache: per wave
WITH profile_counts AS (
  -- counted per respondent profile first (respondent_profiles), then spread to each of its groups
  SELECT k.wave, p.profile, k.item, k.raw, count(*) AS n
  FROM keyed_likert_answer_rows k
  JOIN respondent_profiles p ON p.respondent_no = k.respondent_no
  GROUP BY k.wave, p.profile, k.item, k.raw
)
SELECT c.wave, g.grouping, g.grp AS "group", min(g.grp_order) AS group_order, l.question, c.raw::INTEGER AS score,
       sum(c.n)::INTEGER AS n
FROM profile_counts c
JOIN profile_groups g ON g.wave = c.wave AND g.profile = c.profile
JOIN cb_likert_numbered l ON l.item = c.item
GROUP BY c.wave, g.grouping, g.grp, l.question, c.raw
ORDER BY c.wave, g.grouping, group_order, l.question, score;
