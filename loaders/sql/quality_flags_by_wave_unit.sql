-- quality_flags_by_wave_unit: per wave and roster unit with respondents, the accepted respondents and how many of
-- them were flagged as speeders or straight-liners (the mart publishes a unit only when a count reaches minGroupSize).
-- cache: per wave
SELECT r.wave, r.unit, u.name, u.category,
       count(*)::INTEGER AS respondents,
       (count(*) FILTER (WHERE r.is_speeder))::INTEGER AS speeders,
       (count(*) FILTER (WHERE r.is_straightliner))::INTEGER AS straightliners
FROM respondents r JOIN cb_roster u ON u.unit = r.unit
GROUP BY r.wave, r.unit, u.name, u.category
ORDER BY r.wave, r.unit;
