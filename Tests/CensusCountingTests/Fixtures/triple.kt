// census-expect: code=3 comments=3 blanks=0
val s = """a "b""""; val c = "/*"
val t = "/* not a comment */"
// a comment
/* a /* nested */ comment */
val u = 1
