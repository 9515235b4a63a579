-- scale_correlations_by_wave: per wave, the sufficient statistics of the driver analysis between two sections
-- ($predictors, $outcomes), aggregated here so that no respondent-level row leaves DuckDB. A respondent's scale score
-- is the mean of the keyed items they answered (as in scale_scores_by_wave_group; speeders etc. are left out by
-- keyed_likert_answers). One row per statistic, told apart by kind:
--   'respondents'  n = respondents with any score of either section (outcome, x, y and r are NULL);
--   'pairwise'     for every predictor scale x (each dimension and sub-dimension of $predictors) and outcome dimension
--                  y = outcome: n respondents with both scores (pairwise deletion) and their Pearson r;
--   'listwise'     for every outcome dimension, over the respondents with that outcome and every dimension of
--                  $predictors (listwise deletion; n of them, the same in each of its rows): Pearson r of each pair
--                  x < y of those variables (the outcome and the predictor dimensions), its regression's matrix.
-- r is NaN where a variable has no variance (or n < 2); a pair nobody has both of has no row. A respondent's scores
-- are gathered into lists and paired within the respondent's row (no join on respondent ids). Read by
-- pipeline/marts/driver-correlations.ts. A wave's rows depend on that wave's respondents alone:
-- cache: per wave
WITH scores AS (
  SELECT wave, respondent_id, section, 'dimension' AS level, dimension AS code, avg(keyed) AS score
  FROM keyed_likert_answers
  WHERE section IN ($predictors, $outcomes)
  GROUP BY wave, respondent_id, section, dimension
  UNION ALL
  -- The outcomes' sub-dimensions are not analysed (whoever has one also has its dimension's score).
  SELECT wave, respondent_id, section, 'subdimension', subdimension, avg(keyed)
  FROM keyed_likert_answers
  WHERE section = $predictors
  GROUP BY wave, respondent_id, section, subdimension
),
respondent_scores AS MATERIALIZED (
  SELECT wave,
         list({code: code, score: score}) FILTER (WHERE section = $predictors) AS predictor_scales,
         list({code: code, score: score}) FILTER (WHERE section = $predictors AND level = 'dimension') AS predictor_dimensions,
         list({code: code, score: score}) FILTER (WHERE section = $outcomes AND level = 'dimension') AS outcome_dimensions
  FROM scores
  GROUP BY wave, respondent_id
),
-- Every predictor scale × outcome dimension a respondent has both of.
pairs AS (
  SELECT wave, p, unnest(outcome_dimensions) AS o
  FROM (SELECT wave, unnest(predictor_scales) AS p, outcome_dimensions FROM respondent_scores)
),
-- Per outcome dimension of a respondent with every predictor dimension, the variables of its regression.
models AS (
  SELECT wave, o.code AS outcome, list_prepend(o, list_filter(predictor_dimensions, lambda v: v.code <> o.code)) AS variables
  FROM (
    SELECT wave, unnest(outcome_dimensions) AS o, predictor_dimensions
    FROM respondent_scores
    WHERE len(predictor_dimensions) = (SELECT count(DISTINCT dimension) FROM cb_likert WHERE section = $predictors)
  )
),
model_pairs AS (
  SELECT wave, outcome, a, unnest(variables) AS b
  FROM (SELECT wave, outcome, unnest(variables) AS a, variables FROM models)
)
SELECT 'respondents' AS kind, wave, NULL::VARCHAR AS outcome, NULL::VARCHAR AS x, NULL::VARCHAR AS y,
       count(*)::INTEGER AS n, NULL::DOUBLE AS r
FROM respondent_scores
GROUP BY wave
UNION ALL
SELECT 'pairwise', wave, o.code, p.code, o.code, count(*)::INTEGER, corr(p.score, o.score)
FROM pairs
GROUP BY wave, o.code, p.code
UNION ALL
SELECT 'listwise', wave, outcome, a.code, b.code, count(*)::INTEGER, corr(a.score, b.score)
FROM model_pairs
WHERE a.code < b.code
GROUP BY wave, outcome, a.code, b.code
ORDER BY wave, kind, outcome, x, y;
