-- group_sizes_by_wave: per wave, every group a published figure can describe — 全体 ('all'), each unit category, each
-- roster unit, each answer of each attribute (身份, 年限 …) and, per attribute, the respondents who did not answer it
-- ("group" NULL) — with
--   counted: the respondents who count (not left out by the codebook's quality.excludeFromScores), the one count the
--            site publishes for the group;
--   floor:   the fewest of them behind any figure published for the group: for a unit, the smallest n of its
--            sub-dimension scores (a unit's section and dimension scores rest on at least as many people); for any
--            other group, the smallest n of its Likert items (item distributions are published for those groups).
-- A sub-dimension or item that nobody answered in a wave is published nowhere that wave and does not lower the floor;
-- one that some answered counts with 0 for a group none of whose members answered it.
-- pipeline/marts/suppression.ts decides from these rows, once per wave, which groups every page may show.
-- cache: per wave
WITH counted AS (
  SELECT r.wave, r.respondent_id, r.unit
  FROM respondents r CROSS JOIN cb_quality q
  WHERE NOT (r.is_speeder AND q.exclude_speeders) AND NOT (r.is_straightliner AND q.exclude_straightliners)
), attribute_answers AS (
  SELECT a.respondent_id, t.attribute, any_value(a.label) AS label
  FROM answers a JOIN cb_attributes t ON a.question = t.question
  WHERE t.attribute <> 'unit' AND a.label IS NOT NULL
  GROUP BY a.respondent_id, t.attribute
), membership AS (
  SELECT wave, respondent_id, 'all' AS grouping, '全体' AS grp FROM counted
  UNION ALL
  SELECT c.wave, c.respondent_id, 'unit_category', u.category FROM counted c JOIN cb_roster u ON u.unit = c.unit
  UNION ALL
  SELECT c.wave, c.respondent_id, 'unit', c.unit FROM counted c
  UNION ALL
  SELECT c.wave, c.respondent_id, t.attribute, x.label
  FROM counted c CROSS JOIN (SELECT DISTINCT attribute FROM cb_attributes WHERE attribute <> 'unit') t
  LEFT JOIN attribute_answers x ON x.respondent_id = c.respondent_id AND x.attribute = t.attribute
), group_counts AS (
  SELECT wave, grouping, grp, count(*)::INTEGER AS counted FROM membership GROUP BY wave, grouping, grp
), measure_answers AS (
  -- who answered what: sub-dimensions for units, items for every other grouping (keyed_likert_answers already
  -- leaves out the excluded respondents)
  SELECT DISTINCT wave, respondent_id, 'subdimension' AS kind, subdimension AS measure FROM keyed_likert_answers
  UNION ALL
  SELECT DISTINCT wave, respondent_id, 'item', question FROM keyed_likert_answers
), active AS (
  SELECT wave, kind, count(DISTINCT measure)::INTEGER AS measures FROM measure_answers GROUP BY wave, kind
), measure_counts AS (
  SELECT m.wave, m.grouping, m.grp, a.kind, a.measure, count(*)::INTEGER AS n
  FROM membership m
  JOIN measure_answers a ON a.respondent_id = m.respondent_id
   AND a.kind = CASE WHEN m.grouping = 'unit' THEN 'subdimension' ELSE 'item' END
  GROUP BY m.wave, m.grouping, m.grp, a.kind, a.measure
), floors AS (
  SELECT wave, grouping, grp, any_value(kind) AS kind, count(*)::INTEGER AS measures, min(n)::INTEGER AS smallest
  FROM measure_counts GROUP BY wave, grouping, grp
)
SELECT g.wave, g.grouping, g.grp AS "group", g.counted,
       -- a group that answered fewer of the wave's measures than were answered at all has a measure with n = 0
       (CASE WHEN f.measures IS NULL THEN 0
             WHEN f.measures < coalesce(a.measures, 0) THEN 0
             ELSE f.smallest END)::INTEGER AS floor
FROM group_counts g
LEFT JOIN floors f ON f.wave = g.wave AND f.grouping = g.grouping AND f.grp IS NOT DISTINCT FROM g.grp
LEFT JOIN active a ON a.wave = g.wave AND a.kind = CASE WHEN g.grouping = 'unit' THEN 'subdimension' ELSE 'item' END
ORDER BY g.wave, g.grouping, g.grp NULLS LAST;
