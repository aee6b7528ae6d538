# census-expect: code=7 comments=6 blanks=3
"""Module docstring.

Spans lines, with a blank one above.
"""
import os


def f(x):
    '''Function docstring.'''
    s = "# not a comment"
    t = """not a docstring:
# this line is code
"""
    return s + t  # trailing comment
    # comment with a "quote
