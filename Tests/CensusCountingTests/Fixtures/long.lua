-- census-expect: code=3 comments=5 blanks=1
--[[ a long comment
spanning lines ]]
local s = "--[[ not a comment ]]"
-- line comment

local t = { 1, 2 } --[[ trailing ]]
--[==[ level-two long comment ]==]
print(s, t)
