-- response_counts_by_wave_unit: per wave and roster unit, the respondents accepted into the store (0 when none) and
-- the unit's headcount of cadres from the roster (one roster for all waves).
-- cache: per wave
SELECT w.wave, u.unit, u.name, u.category, u.category_order, u.headcount,
       count(r.respondent_id)::INTEGER AS respondents
FROM (SELECT DISTINCT wave FROM respondents) w
CROSS JOIN cb_roster u
LEFT JOIN respondents r ON r.wave = w.wave AND r.unit = u.unit
GROUP BY w.wave, u.unit, u.name, u.category, u.category_order, u.headcount
ORDER BY w.wave, u.category_order, u.unit;
