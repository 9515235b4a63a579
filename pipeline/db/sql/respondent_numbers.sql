-- respondent_numbers: one row per respondent of the connection's store, numbered from 1 in the order of their ids,
-- with what the scale queries need of them (wave, unit, the quality flags). keyed_likert_answer_rows and
-- respondent_profiles name respondents by this number, so that the scale queries group a wave's answers per
-- respondent, and join the sums to the profiles and units, on a 32-bit integer instead of the text id
-- (`<file sha>-<序号>`): at 10 M the four sections' scale_scores_by_wave_group took 29.4 s a wave on the ids and
-- 21.1 s on the numbers (docs/scale.md, "The respondents as numbers").
-- A number means something only on the connection that made it: over the whole store on the report store's own
-- connection (the query cache off: computed inline, a window over every respondent, about 0.2 s at 1 M each time a
-- query reads it), over one wave on the query cache's wave connection. The queries join on the number alone because
-- every relation they join is made on the same connection; no result or file outside the per-wave cache (keyed on
-- the wave's parts) holds a number. The ids are unique in the store (the file's sha and the row's serial; a file is
-- never ingested twice), so the numbering is the same at every run.
-- materialize: per wave
CREATE OR REPLACE TEMP VIEW respondent_numbers AS
SELECT wave, respondent_id, (row_number() OVER (ORDER BY respondent_id))::INTEGER AS respondent_no, unit,
       is_speeder, is_straightliner
FROM respondents;
