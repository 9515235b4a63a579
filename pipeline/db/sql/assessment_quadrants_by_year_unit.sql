-- assessment_quadrants_by_year_unit: per year and unit with both a party-building and a business score (from the
-- assessment_totals table, which holds assessment_totals_by_year_unit), the year's medians of the two, each unit's
-- percent rank in each (0 = lowest, 1 = highest). Whether a unit is 两张皮 is decided from the ranks in the mart
-- (pipeline/stats/two-skins.ts with the tolerance of indicators.json), not by the medians.
-- reads: reference tables only
WITH scored AS (
  SELECT year, unit, party_building, business FROM assessment_totals
  WHERE party_building IS NOT NULL AND business IS NOT NULL
), medians AS (
  SELECT year, median(party_building) AS party_building_median, median(business) AS business_median
  FROM scored GROUP BY year
)
SELECT s.year, s.unit, s.party_building, s.business, m.party_building_median, m.business_median,
       percent_rank() OVER (PARTITION BY s.year ORDER BY s.party_building) AS party_building_percentile,
       percent_rank() OVER (PARTITION BY s.year ORDER BY s.business) AS business_percentile
FROM scored s JOIN medians m ON m.year = s.year
ORDER BY s.year, s.unit;
