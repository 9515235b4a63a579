-- assessment_quadrants_by_year_unit: per year and unit with both a party-building and a business score (from the
-- assessment_totals table, which holds assessment_totals_by_year_unit), the year's medians of the two, each unit's
-- percent rank in each (0 = lowest, 1 = highest) and its quadrant relative to the medians: both_strong, both_weak,
-- party_building_only (党建强、业务弱), business_only (业务强、党建弱), or on_median (on a median line).
WITH scored AS (
  SELECT year, unit, party_building, business FROM assessment_totals
  WHERE party_building IS NOT NULL AND business IS NOT NULL
), medians AS (
  SELECT year, median(party_building) AS party_building_median, median(business) AS business_median
  FROM scored GROUP BY year
)
SELECT s.year, s.unit, s.party_building, s.business, m.party_building_median, m.business_median,
       percent_rank() OVER (PARTITION BY s.year ORDER BY s.party_building) AS party_building_percentile,
       percent_rank() OVER (PARTITION BY s.year ORDER BY s.business) AS business_percentile,
       CASE
         WHEN s.party_building > m.party_building_median AND s.business > m.business_median THEN 'both_strong'
         WHEN s.party_building < m.party_building_median AND s.business < m.business_median THEN 'both_weak'
         WHEN s.party_building > m.party_building_median AND s.business < m.business_median THEN 'party_building_only'
         WHEN s.party_building < m.party_building_median AND s.business > m.business_median THEN 'business_only'
         ELSE 'on_median'
       END AS quadrant
FROM scored s JOIN medians m ON m.year = s.year
ORDER BY s.year, s.unit;
