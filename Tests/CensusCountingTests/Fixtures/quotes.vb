' census-expect: code=3 comments=2 blanks=0
Dim s As String = "He said ""hi"" "
REM a comment
Dim r = "REM is not a comment here"
Console.WriteLine(s) ' trailing
