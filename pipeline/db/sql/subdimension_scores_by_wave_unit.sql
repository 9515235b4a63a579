-- subdimension_scores_by_wave_unit: for one sub-dimension ($subdimension), per wave and roster unit, the respondents
-- with an answer to it (n) and the mean of all their answers to its items (as in scale_scores_by_wave_group; speeders
-- etc. are left out by keyed_likert_answers; each respondent's sums are those of respondent_scale_sums: the mean of all
-- answers is Σs / Σm). Units without respondents have no row.
-- cache: per wave
SELECT s.wave, r.unit, u.category, count(*)::INTEGER AS n, sum(s.s) / sum(s.m) AS mean
FROM respondent_scale_sums s
JOIN respondents r ON r.respondent_id = s.respondent_id
JOIN cb_roster u ON u.unit = r.unit
WHERE s.level = 'subdimension' AND s.code = $subdimension
GROUP BY s.wave, r.unit, u.category
ORDER BY s.wave, r.unit;
