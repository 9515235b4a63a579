-- respondent_scale_scores: per wave and respondent, the scale score (the mean of the keyed items answered, as in
-- scale_scores_by_wave_group) of every dimension and sub-dimension of two sections ($predictors, $outcomes).
-- Respondent-level: read only inside a loader by loaders/marts/drivers.ts to correlate scales; never written out.
SELECT wave, respondent_id, section, 'dimension' AS level, dimension AS code, avg(keyed) AS score
FROM keyed_likert_answers
WHERE section IN ($predictors, $outcomes)
GROUP BY wave, respondent_id, section, dimension
UNION ALL
SELECT wave, respondent_id, section, 'subdimension', subdimension, avg(keyed)
FROM keyed_likert_answers
WHERE section IN ($predictors, $outcomes)
GROUP BY wave, respondent_id, section, subdimension
ORDER BY wave, respondent_id, section, level, code;
