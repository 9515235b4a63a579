-- cb_likert_numbered: the codebook's Likert items (cb_likert), each with its item, sub-dimension, dimension and
-- section numbered from 1 in the order of their codes. keyed_likert_answer_rows names them by these numbers, so that
-- a wave's answers are written and grouped by small integers; a query takes the codes back from here once the
-- answers are grouped (per respondent and scale, or for its result rows), never per answer.
CREATE OR REPLACE TEMP VIEW cb_likert_numbered AS
SELECT *,
       (dense_rank() OVER (ORDER BY question))::USMALLINT AS item,
       (dense_rank() OVER (ORDER BY subdimension))::USMALLINT AS subdimension_no,
       (dense_rank() OVER (ORDER BY dimension))::USMALLINT AS dimension_no,
       (dense_rank() OVER (ORDER BY section))::USMALLINT AS section_no
FROM cb_likert;
