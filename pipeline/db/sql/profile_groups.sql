-- profile_groups: per wave, each respondent profile (respondent_profiles) and the breakdown groups it stands for
-- (grouping, grp, grp_order as in respondent_groups): the rows of one of its respondents, who all have the same.
-- That they all have the same is checked, not assumed (a profile is a digest): every group row of a respondent must be
-- one of their profile's, and the group rows must be as many as the profiles' rows times their respondents (so no
-- respondent has fewer); else the query fails rather than count anyone in groups they are not in.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW profile_groups AS
WITH representatives AS (
  SELECT wave, profile, min(respondent_id) AS respondent_id FROM respondent_profiles GROUP BY wave, profile
),
groups_of_profiles AS (
  SELECT p.wave, p.profile, g.grouping, g.grp, g.grp_order
  FROM representatives p
  JOIN respondent_groups g ON g.wave = p.wave AND g.respondent_id = p.respondent_id
),
rows_not_in_profile AS (
  SELECT count(*) AS n
  FROM respondent_groups g
  JOIN respondent_profiles p ON p.wave = g.wave AND p.respondent_id = g.respondent_id
  ANTI JOIN groups_of_profiles q
    ON q.wave = p.wave AND q.profile = p.profile AND q.grouping IS NOT DISTINCT FROM g.grouping
       AND q.grp IS NOT DISTINCT FROM g.grp AND q.grp_order IS NOT DISTINCT FROM g.grp_order
),
rows_of_profiles AS (
  SELECT coalesce(sum(r.respondents * q.group_rows), 0) AS n
  FROM (SELECT wave, profile, count(*) AS respondents FROM respondent_profiles GROUP BY wave, profile) r
  JOIN (SELECT wave, profile, count(*) AS group_rows FROM groups_of_profiles GROUP BY wave, profile) q
    USING (wave, profile)
),
group_rows AS (
  SELECT count(*) AS n FROM respondent_groups
)
SELECT q.wave, q.profile, q.grouping, q.grp, q.grp_order
FROM groups_of_profiles q, rows_not_in_profile missing, rows_of_profiles expected, group_rows actual
WHERE CASE WHEN missing.n = 0 AND expected.n = actual.n THEN true
           ELSE error('profile_groups: respondents whose groups are not their profile''s (' || missing.n
                      || ' rows not in it; ' || actual.n || ' group rows, ' || expected.n
                      || ' by profile): two sets of groups share a digest (respondent_profiles.sql)')
      END;
