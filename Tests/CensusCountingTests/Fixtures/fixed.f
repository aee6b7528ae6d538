C     census-expect: code=3 comments=3 blanks=1
      PROGRAM HELLO
c     lower-case comment line
*     star comment line

      PRINT *, 'C is not a comment here' ! trailing
      END
