-- profile_groups: per wave, each respondent profile (respondent_profiles) and the breakdown groups it stands for
-- (grouping, grp, grp_order as in respondent_groups): the rows of one of its respondents, who all have the same.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW profile_groups AS
WITH representatives AS (
  SELECT wave, profile, min(respondent_id) AS respondent_id FROM respondent_profiles GROUP BY wave, profile
)
SELECT p.wave, p.profile, g.grouping, g.grp, g.grp_order
FROM representatives p
JOIN respondent_groups g ON g.respondent_id = p.respondent_id;
