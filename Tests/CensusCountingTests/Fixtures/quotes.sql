-- census-expect: code=2 comments=3 blanks=0
SELECT 'it''s' AS a, 'C:\' AS path
-- a comment after a backslash at the end of a literal
FROM t WHERE note = 'x--y';
/* done */
