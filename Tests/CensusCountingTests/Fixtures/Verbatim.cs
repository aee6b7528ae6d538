// census-expect: code=5 comments=2 blanks=0
var path = @"C:\temp\";
var text = @"line ""one""
// still the verbatim string";
var json = """{"a": 1}""";
/* end */
var x = 1;
