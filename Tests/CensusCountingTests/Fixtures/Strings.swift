// census-expect: code=6 comments=4 blanks=1
/* outer /* nested */ still comment */
let raw = #"a " // not a comment "#
let multi = """
    // inside a multi-line string
    """

// a real comment
let extended = ##"quote "# is fine"##
let x = 1 /* trailing */
/// doc
