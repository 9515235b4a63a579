-- missing_answers_by_wave_question: per wave and codebook question (cb_questions, in codebook order), how many
-- accepted respondents have no answer to it (skipped: (跳过)/-3, or left empty: -2). A multiple choice answered with no
-- option ticked counts as answered. Open-text answers are counted, never read.
-- cache: per wave
WITH respondents_by_wave AS (
  SELECT wave, count(*)::INTEGER AS respondents FROM respondents GROUP BY wave
), answered AS (
  SELECT wave, question, count(DISTINCT respondent_id)::INTEGER AS answered FROM answers GROUP BY wave, question
)
SELECT w.wave, q.question, q.position, w.respondents, coalesce(a.answered, 0) AS answered,
       w.respondents - coalesce(a.answered, 0) AS missing
FROM respondents_by_wave w
CROSS JOIN cb_questions q
LEFT JOIN answered a ON a.wave = w.wave AND a.question = q.question
ORDER BY w.wave, q.position;
