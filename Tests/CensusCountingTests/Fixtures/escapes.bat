@echo off
REM census-expect: code=4 comments=3 blanks=0
echo 1 ^& REM not a comment start
:: a label comment
set REMOVE=1
rem lower case
echo "100%% done" & goto :eof
