-- assessment_scores_by_year_unit_indicator: every accepted assessment score of a roster unit, one row per year, unit
-- and indicator (the loader has already quarantined unknown units, unknown indicators and duplicates).
-- reads: reference tables only
SELECT s.year, s.unit, s.indicator, s.score
FROM assessment_scores s
JOIN cb_roster u ON u.unit = s.unit
JOIN cb_indicators i ON i.code = s.indicator
ORDER BY s.year, s.unit, s.indicator;
