-- indicator_weights_by_domain_kind: per domain (party_building, business) and kind (process, outcome), the number of
-- indicators, their summed weight and that weight's share of the domain's total weight, from the indicator definitions.
-- reads: reference tables only
SELECT domain, kind, count(*)::INTEGER AS indicators, sum(weight) AS weight,
       sum(weight) / sum(sum(weight)) OVER (PARTITION BY domain) AS share
FROM cb_indicators
GROUP BY domain, kind
ORDER BY domain DESC, kind DESC;
