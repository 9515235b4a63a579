-- item_distribution_by_wave_group: for one section, per wave, breakdown group and Likert item, how many
-- respondents gave each raw score (as answered, before reverse keying).
-- cache: per wave
SELECT k.wave, g.grouping, g.grp AS "group", min(g.grp_order) AS group_order, k.question, k.raw::INTEGER AS score,
       count(*)::INTEGER AS n
FROM keyed_likert_answers k
JOIN respondent_groups g ON g.respondent_id = k.respondent_id
WHERE k.section = $section
GROUP BY k.wave, g.grouping, g.grp, k.question, k.raw
ORDER BY k.wave, g.grouping, group_order, k.question, score;
