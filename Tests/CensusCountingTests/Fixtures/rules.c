// census-expect: code=7 comments=6 blanks=3
#include <stdio.h>

/* A block comment
 * spanning lines

 * with a blank line inside */
int main(void) {
    const char *s = "/* not a comment */ // nor this";
    char q = '"';  /* a quote in a char literal */
    printf("%s %c\n", s, q); // trailing comment
    /* code after */ return 0;
    // "quotes in a comment" don't open strings
}

/* done */
