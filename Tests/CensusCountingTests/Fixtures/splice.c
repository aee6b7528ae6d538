/* census-expect: code=5 comments=4 blanks=1 */
// a comment that ends in a splice \
int spliced_into_the_comment;

int x = 1; // trailing \
   still the trailing comment
const char *s = "a string \
// still in the string";
/* c */ \
int y;
