-- scale_correlations_by_wave: per wave, the sufficient statistics of the driver analysis between two sections
-- ($predictors, $outcomes), aggregated here so that no respondent-level row leaves DuckDB. A respondent's scale score
-- is the mean of the keyed items they answered (as in scale_scores_by_wave_group; speeders etc. are left out by
-- keyed_likert_answer_rows). One row per statistic, told apart by kind:
--   'respondents'  n = respondents with any score of either section (outcome, x, y and r are NULL);
--   'pairwise'     for every predictor scale x (each dimension and sub-dimension of $predictors) and outcome dimension
--                  y = outcome: n respondents with both scores (pairwise deletion) and their Pearson r;
--   'listwise'     for every outcome dimension, over the respondents with that outcome and every dimension of
--                  $predictors (listwise deletion; n of them, the same in each of its rows): Pearson r of each pair
--                  x < y of those variables (the outcome and the predictor dimensions), its regression's matrix.
-- r is NaN where a variable has no variance (or n < 2); a pair nobody has both of has no row. Read by
-- pipeline/marts/driver-correlations.ts.
-- Scores are paired by joins on the respondent, not gathered into one list per respondent: DuckDB spills joins and
-- plain aggregates to disk, but not list() states, which held a 1.4 M-respondent wave past 3 GB (docs/scale.md).
-- Each kind of score is its own CTE, so that each reader scans only the scores it needs: one CTE of every score was
-- scanned five times, 17-21 M rows each in a 10 M wave (27.6 s a wave then, 18.7 s so; 1.27 and 1.0 s at 1 M).
-- The joins take wave and respondent_no to be non-NULL, as the store and respondent_numbers make them (the wave is the
-- Hive partition, the number a row_number). A wave's rows depend on that wave's respondents alone:
-- cache: per wave
WITH predictor_dimensions AS MATERIALIZED (
  SELECT k.wave, k.respondent_no, c.code, k.score
  FROM (SELECT wave, respondent_no, dimension_no AS no, avg(keyed) AS score
        FROM keyed_likert_answer_rows
        WHERE section_no IN (SELECT section_no FROM cb_likert_numbered WHERE section = $predictors)
        GROUP BY wave, respondent_no, dimension_no) k
  JOIN (SELECT DISTINCT dimension_no AS no, dimension AS code FROM cb_likert_numbered) c ON c.no = k.no
),
predictor_subdimensions AS (
  SELECT k.wave, k.respondent_no, c.code, k.score
  FROM (SELECT wave, respondent_no, subdimension_no AS no, avg(keyed) AS score
        FROM keyed_likert_answer_rows
        WHERE section_no IN (SELECT section_no FROM cb_likert_numbered WHERE section = $predictors)
        GROUP BY wave, respondent_no, subdimension_no) k
  JOIN (SELECT DISTINCT subdimension_no AS no, subdimension AS code FROM cb_likert_numbered) c ON c.no = k.no
),
-- The outcomes' sub-dimensions are not analysed (whoever has one also has its dimension's score).
outcome_dimensions AS MATERIALIZED (
  SELECT k.wave, k.respondent_no, c.code, k.score
  FROM (SELECT wave, respondent_no, dimension_no AS no, avg(keyed) AS score
        FROM keyed_likert_answer_rows
        WHERE section_no IN (SELECT section_no FROM cb_likert_numbered WHERE section = $outcomes)
        GROUP BY wave, respondent_no, dimension_no) k
  JOIN (SELECT DISTINCT dimension_no AS no, dimension AS code FROM cb_likert_numbered) c ON c.no = k.no
),
-- The predictor dimensions of the respondents who have every one of them (the regressions' listwise deletion).
complete_predictor_dimensions AS MATERIALIZED (
  SELECT wave, respondent_no, code, score
  FROM predictor_dimensions
  QUALIFY count(*) OVER (PARTITION BY wave, respondent_no)
          = (SELECT count(DISTINCT dimension) FROM cb_likert WHERE section = $predictors)
)
SELECT 'respondents' AS kind, wave, NULL::VARCHAR AS outcome, NULL::VARCHAR AS x, NULL::VARCHAR AS y,
       count(DISTINCT respondent_no)::INTEGER AS n, NULL::DOUBLE AS r
FROM (SELECT wave, respondent_no FROM predictor_dimensions UNION ALL SELECT wave, respondent_no FROM outcome_dimensions)
GROUP BY wave
UNION ALL
SELECT 'pairwise', p.wave, o.code, p.code, o.code, count(*)::INTEGER, corr(p.score, o.score)
FROM (SELECT * FROM predictor_dimensions UNION ALL SELECT * FROM predictor_subdimensions) p
JOIN outcome_dimensions o USING (wave, respondent_no)
GROUP BY p.wave, o.code, p.code
UNION ALL
-- A regression's pairs are the outcome with each predictor dimension, ordered by code…
SELECT 'listwise', o.wave, o.code, least(o.code, p.code), greatest(o.code, p.code), count(*)::INTEGER,
       corr(CASE WHEN o.code < p.code THEN o.score ELSE p.score END,
            CASE WHEN o.code < p.code THEN p.score ELSE o.score END)
FROM outcome_dimensions o
JOIN complete_predictor_dimensions p USING (wave, respondent_no)
WHERE p.code <> o.code
GROUP BY o.wave, o.code, p.code
UNION ALL
-- …and each pair of predictor dimensions, over the respondents who have that outcome.
SELECT 'listwise', o.wave, o.code, a.code, b.code, count(*)::INTEGER, corr(a.score, b.score)
FROM complete_predictor_dimensions a
JOIN complete_predictor_dimensions b USING (wave, respondent_no)
JOIN outcome_dimensions o USING (wave, respondent_no)
WHERE a.code < b.code AND o.code <> a.code AND o.code <> b.code
GROUP BY o.wave, o.code, a.code, b.code
ORDER BY wave, kind, outcome, x, y;
