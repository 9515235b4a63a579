-- respondent_profiles: one row per respondent with their profile: every breakdown group they belong to
-- (respondent_groups), written as one string. Respondents with the same profile are counted together by the breakdown
-- queries before the counts are spread to each of its groups (profile_groups): at 1 M respondents a wave's 143,000
-- respondents have about 500 profiles, so the join to the groups runs over a few thousand rows, not one per answer
-- and group. The string is injective (each part JSON-quoted, so no label can forge a separator) and holds each
-- group's order too, so a profile stands for exactly the (grouping, grp, grp_order) rows of each of its respondents.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW respondent_profiles AS
SELECT wave, respondent_id,
       string_agg(to_json(grouping)::VARCHAR || ':' || to_json(grp)::VARCHAR || ':' || coalesce(grp_order::VARCHAR, ''), ','
                  ORDER BY grouping, grp, grp_order) AS profile
FROM respondent_groups
GROUP BY wave, respondent_id;
