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
-- How: n of a measure = the group's counted respondents less those who skipped it. Nearly everybody answers every
-- item, so only the few who skipped something have their skipped items listed; counting the answered ones instead
-- joined every answer of the wave to every group of its respondent (7 s a wave at 1 M respondents, then 1.5 s).
-- The items a respondent answered are bits of a few 64-bit words (a plain aggregate per respondent, which DuckDB
-- spills like any other), so finding what the few skipped needs no join over every answer of the wave: that anti join
-- took 1.0 of 1.1 s a wave at 1 M, and spilled at 10 M (23 s a wave, now 8.6 s; docs/scale.md).
-- cache: per wave
WITH counted AS (
  SELECT r.wave, r.respondent_id, r.respondent_no, r.unit
  FROM respondent_numbers r CROSS JOIN cb_quality q
  WHERE NOT (r.is_speeder AND q.exclude_speeders) AND NOT (r.is_straightliner AND q.exclude_straightliners)
), attribute_answers AS (
  SELECT a.respondent_id, t.attribute, any_value(a.label) AS label
  FROM answers a JOIN cb_attributes t ON a.question = t.question
  WHERE t.attribute <> 'unit' AND a.label IS NOT NULL
  GROUP BY a.respondent_id, t.attribute
), membership AS (
  SELECT wave, respondent_no, 'all' AS grouping, '全体' AS grp FROM counted
  UNION ALL
  SELECT c.wave, c.respondent_no, 'unit_category', u.category FROM counted c JOIN cb_roster u ON u.unit = c.unit
  UNION ALL
  SELECT c.wave, c.respondent_no, 'unit', c.unit FROM counted c
  UNION ALL
  SELECT c.wave, c.respondent_no, t.attribute, x.label
  FROM counted c CROSS JOIN (SELECT DISTINCT attribute FROM cb_attributes WHERE attribute <> 'unit') t
  LEFT JOIN attribute_answers x ON x.respondent_id = c.respondent_id AND x.attribute = t.attribute
), group_counts AS (
  SELECT wave, grouping, grp, count(*)::INTEGER AS counted FROM membership GROUP BY wave, grouping, grp
), item_bits AS (
  -- each Likert item of the codebook numbered: its word (ordinal // 64) and its bit in that word
  SELECT item, subdimension_no, ordinal // 64 AS word, 1::UBIGINT << (ordinal % 64)::UBIGINT AS bit -- UBIGINT << INTEGER is a HUGEINT
  FROM (SELECT item, subdimension_no, (item - 1)::INTEGER AS ordinal FROM cb_likert_numbered)
), answered_words AS (
  -- per respondent and word, the bits of the items they answered (keyed_likert_answer_rows already leaves out the
  -- excluded respondents)
  SELECT k.respondent_no, b.word, bit_or(b.bit) AS bits
  FROM keyed_likert_answer_rows k JOIN item_bits b ON b.item = k.item
  GROUP BY k.respondent_no, b.word
), answered AS (
  -- per respondent, how many Likert items they answered
  SELECT respondent_no, sum(bit_count(bits)) AS items FROM answered_words GROUP BY respondent_no
), active_items AS (
  -- the wave's items anybody answered, with their sub-dimension, word and bit
  SELECT a.wave, a.item, b.subdimension_no, b.word, b.bit
  FROM (SELECT DISTINCT wave, item FROM keyed_likert_answer_rows) a
  JOIN item_bits b ON b.item = a.item
), subdimension_items AS (
  SELECT wave, subdimension_no, count(*) AS items FROM active_items GROUP BY wave, subdimension_no
), active_counts AS (
  SELECT wave, 'item' AS kind, sum(items) AS measures FROM subdimension_items GROUP BY wave
  UNION ALL
  SELECT wave, 'subdimension', count(*) FROM subdimension_items GROUP BY wave
), incomplete AS (
  -- counted respondents who skipped some of the wave's items (those who answered none included): few, so the items
  -- each of them skipped can be listed, where listing every answered item of everybody is what took the time
  SELECT c.wave, c.respondent_no
  FROM counted c JOIN active_counts k ON k.wave = c.wave AND k.kind = 'item'
  LEFT JOIN answered a ON a.respondent_no = c.respondent_no
  WHERE coalesce(a.items, 0) < k.measures
), skipped_items AS (
  SELECT i.wave, i.respondent_no, m.item, m.subdimension_no
  FROM incomplete i JOIN active_items m ON m.wave = i.wave
  LEFT JOIN answered_words w ON w.respondent_no = i.respondent_no AND w.word = m.word
  WHERE coalesce(w.bits, 0) & m.bit = 0
), skipped AS (
  SELECT wave, respondent_no, 'item' AS kind, item AS measure FROM skipped_items
  UNION ALL
  -- a sub-dimension is skipped by who skipped all of its items anybody answered
  SELECT s.wave, s.respondent_no, 'subdimension', s.subdimension_no
  FROM skipped_items s JOIN subdimension_items d ON d.wave = s.wave AND d.subdimension_no = s.subdimension_no
  GROUP BY s.wave, s.respondent_no, s.subdimension_no, d.items HAVING count(*) = d.items
), skipped_counts AS (
  SELECT m.wave, m.grouping, m.grp, s.measure, count(*) AS skipped
  FROM membership m
  JOIN skipped s ON s.respondent_no = m.respondent_no
   AND s.kind = CASE WHEN m.grouping = 'unit' THEN 'subdimension' ELSE 'item' END
  GROUP BY m.wave, m.grouping, m.grp, s.measure
), most_skipped AS (
  SELECT wave, grouping, grp, max(skipped) AS skipped FROM skipped_counts GROUP BY wave, grouping, grp
)
SELECT g.wave, g.grouping, g.grp AS "group", g.counted,
       -- the smallest n of the group's measures: its members less those who skipped the most skipped measure
       (CASE WHEN coalesce(a.measures, 0) = 0 THEN 0
             ELSE g.counted - coalesce(s.skipped, 0) END)::INTEGER AS floor
FROM group_counts g
LEFT JOIN most_skipped s ON s.wave = g.wave AND s.grouping = g.grouping AND s.grp IS NOT DISTINCT FROM g.grp
LEFT JOIN active_counts a ON a.wave = g.wave AND a.kind = CASE WHEN g.grouping = 'unit' THEN 'subdimension' ELSE 'item' END
ORDER BY g.wave, g.grouping, g.grp NULLS LAST;
