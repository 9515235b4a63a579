-- scale_scores_by_wave_unit: per wave, roster unit and scale: every section of the codebook, and the dimensions of
-- $focus_section (the scales a unit's page shows: pipeline/marts/units.ts · unitPageScales; the other sections'
-- dimensions, 9 of the 16 scales in data/codebook.json, were computed and read by every pass and published nowhere).
-- For each: the respondents with an answer to the scale (n) and the sums that give the mean of all their answers and
-- its standard error, as in scale_scores_by_wave_group (pipeline/stats/ratio.ts); speeders etc. are left out by
-- keyed_likert_answer_rows. Only units on the roster; a unit-wave without respondents has no row.
-- cache: per wave
WITH scales AS (
  SELECT DISTINCT 'section' AS level, section_no AS no, section AS code FROM cb_likert_numbered
  UNION ALL
  SELECT DISTINCT 'dimension', dimension_no, dimension FROM cb_likert_numbered WHERE section = $focus_section
), respondent_sums AS (
  SELECT wave, respondent_no, 'section' AS level, section_no AS no, sum(keyed) AS s, count(*) AS m
  FROM keyed_likert_answer_rows GROUP BY wave, respondent_no, section_no
  UNION ALL
  SELECT wave, respondent_no, 'dimension', dimension_no, sum(keyed), count(*)
  FROM keyed_likert_answer_rows
  WHERE section_no IN (SELECT section_no FROM cb_likert_numbered WHERE section = $focus_section)
  GROUP BY wave, respondent_no, dimension_no
)
SELECT s.wave, r.unit, s.level, c.code,
       count(*)::INTEGER AS n,
       sum(s.s)::DOUBLE AS sum_s, sum(s.m)::DOUBLE AS sum_m, sum(s.s * s.s)::DOUBLE AS sum_ss,
       sum(s.m * s.m)::DOUBLE AS sum_mm, sum(s.s * s.m)::DOUBLE AS sum_sm
FROM respondent_sums s
JOIN respondent_numbers r ON r.respondent_no = s.respondent_no
JOIN cb_roster u ON u.unit = r.unit
JOIN scales c ON c.level = s.level AND c.no = s.no
GROUP BY s.wave, r.unit, s.level, c.code
ORDER BY s.wave, r.unit, s.level, c.code;
