-- respondent_profiles: one row per respondent, by id and by number (respondent_numbers), with their profile: a digest
-- of every breakdown group they belong to (respondent_groups). Respondents with the same profile are counted together
-- by the breakdown queries before the counts are spread to each of its groups (profile_groups): at 1 M respondents a
-- wave's 143,000 respondents have about 500 profiles, so the join to the groups runs over a few thousand rows, not one
-- per answer and group.
-- The digest is the sum of the 64-bit hashes of the respondent's group rows (grouping, grp, grp_order) and their count:
-- fixed-size aggregate states, which DuckDB spills to disk past its memory limit. The groups written out as one ordered
-- string (string_agg … ORDER BY) cannot spill, and held a 1.4 M-respondent wave past 1 GB. Two different sets of
-- groups could in principle share a digest: profile_groups checks every respondent's groups against their profile's
-- and fails the query if any differs, so a profile stands for exactly the group rows of each of its respondents.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW respondent_profiles AS
SELECT g.wave, g.respondent_id, n.respondent_no,
       sum(hash(g.grouping, g.grp, g.grp_order))::VARCHAR || '/' || count(*)::VARCHAR AS profile
FROM respondent_groups g
-- LEFT: group rows of answers without a respondent (the store makes none) get no number, so no scale sum, as before
LEFT JOIN respondent_numbers n ON n.respondent_id = g.respondent_id
GROUP BY g.wave, g.respondent_id, n.respondent_no;
