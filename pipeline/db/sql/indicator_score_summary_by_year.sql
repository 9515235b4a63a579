-- indicator_score_summary_by_year: per year and indicator, how the roster units scored it, as a percentage of the
-- indicator's maximum: units scored, mean, SD, minimum, quartiles and maximum. An indicator on which every unit
-- scores alike carries weight without telling units apart.
-- reads: reference tables only
WITH pct AS (
  SELECT s.year, s.indicator, s.score / i.max_score * 100 AS pct
  FROM assessment_scores s
  JOIN cb_indicators i ON i.code = s.indicator
  JOIN cb_roster u ON u.unit = s.unit
)
SELECT year, indicator, count(*)::INTEGER AS n, avg(pct) AS mean, stddev_samp(pct) AS sd, min(pct) AS min,
       quantile_cont(pct, 0.25) AS q1, quantile_cont(pct, 0.5) AS median, quantile_cont(pct, 0.75) AS q3, max(pct) AS max
FROM pct
GROUP BY year, indicator
ORDER BY year, indicator;
