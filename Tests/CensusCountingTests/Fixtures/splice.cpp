// census-expect: code=3 comments=5 blanks=0
#define TWICE(x) \
    ((x) + (x))  // sum \
    of both - still comment
// two splices \
continue \
and continue
int main() { return TWICE(1); }
