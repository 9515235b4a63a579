-- profile_groups: per wave, each respondent profile (respondent_profiles) and the breakdown groups it stands for
-- (grouping, grp, grp_order as in respondent_groups).
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW profile_groups AS
SELECT DISTINCT p.wave, p.profile, g.grouping, g.grp, g.grp_order
FROM respondent_profiles p
JOIN respondent_groups g ON g.respondent_id = p.respondent_id;
