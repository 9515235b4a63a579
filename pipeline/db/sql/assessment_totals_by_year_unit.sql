-- assessment_totals_by_year_unit: per year and unit, the weighted party-building and business scores (0–100:
-- Σ weight × score / maxScore × 100 / Σ weight over the indicators scored), and the share of the party-building
-- weight that sits on process (台帐, records) rather than outcome indicators.
-- reads: reference tables only
WITH scored AS (
  SELECT s.year, s.unit, i.domain, i.kind, i.weight, s.score / i.max_score * 100 AS pct
  FROM assessment_scores s JOIN cb_indicators i ON i.code = s.indicator
)
SELECT s.year, s.unit, u.name, u.category,
       sum(weight * pct) FILTER (WHERE domain = 'party_building') / sum(weight) FILTER (WHERE domain = 'party_building') AS party_building,
       sum(weight * pct) FILTER (WHERE domain = 'business') / sum(weight) FILTER (WHERE domain = 'business') AS business,
       sum(weight) FILTER (WHERE domain = 'party_building' AND kind = 'process') / sum(weight) FILTER (WHERE domain = 'party_building') AS process_weight_share,
       (count(*) FILTER (WHERE domain = 'party_building'))::INTEGER AS party_building_indicators,
       (count(*) FILTER (WHERE domain = 'business'))::INTEGER AS business_indicators
FROM scored s JOIN cb_roster u ON u.unit = s.unit
GROUP BY s.year, s.unit, u.name, u.category
ORDER BY s.year, s.unit;
