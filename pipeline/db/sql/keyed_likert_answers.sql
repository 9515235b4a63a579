-- keyed_likert_answers: keyed_likert_answer_rows with the respondent's id and each item's codes and answer scale as
-- texts: one row per answered Likert item of a respondent who counts for scale statistics, with the raw score and the
-- keyed score (reverse-keyed items mirrored: min + max - raw). For exploratory queries and reference fixtures; the
-- report's queries read keyed_likert_answer_rows and take the codes and ids back once the answers are grouped.
CREATE OR REPLACE TEMP VIEW keyed_likert_answers AS
SELECT k.wave, r.respondent_id, l.question, l.subdimension, l.dimension, l.section, k.raw, k.keyed,
       l.scale_min, l.scale_max, l.agree_from
FROM keyed_likert_answer_rows k
JOIN cb_likert_numbered l ON l.item = k.item
JOIN respondent_numbers r ON r.wave = k.wave AND r.respondent_no = k.respondent_no;
