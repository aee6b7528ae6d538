# census-expect: code=7 comments=5 blanks=0
"""
    add(x, y)
Adds two numbers.
"""
add(x, y) = x + y
msg = """
not a docstring
"""
println(msg)
foo(
    """arg""")
