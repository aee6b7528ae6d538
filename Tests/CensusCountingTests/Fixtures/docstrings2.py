#!/usr/bin/env python3
# census-expect: code=10 comments=5 blanks=3
"""Module docstring."""

class A:
    """Class docstring,
    two lines."""

    def f(self, x):  # a header comment
        '''Method docstring.'''
        """Not a docstring: a second statement."""
        return call(
            """an argument""",
        )

SQL = """
SELECT 1
"""
