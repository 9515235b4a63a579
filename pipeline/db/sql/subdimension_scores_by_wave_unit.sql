-- subdimension_scores_by_wave_unit: for one sub-dimension ($subdimension), per wave and roster unit, the respondents
-- with an answer to it (n) and the mean of all their answers to its items (as in scale_scores_by_wave_group; speeders
-- etc. are left out by keyed_likert_answer_rows). Units without respondents have no row.
-- cache: per wave
SELECT k.wave, r.unit, u.category, count(DISTINCT k.respondent_no)::INTEGER AS n, avg(k.keyed) AS mean
FROM keyed_likert_answer_rows k
JOIN respondent_numbers r ON r.respondent_no = k.respondent_no
JOIN cb_roster u ON u.unit = r.unit
WHERE k.subdimension_no IN (SELECT subdimension_no FROM cb_likert_numbered WHERE subdimension = $subdimension)
GROUP BY k.wave, r.unit, u.category
ORDER BY k.wave, r.unit;
