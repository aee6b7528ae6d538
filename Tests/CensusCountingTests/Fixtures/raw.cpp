// census-expect: code=6 comments=2 blanks=1
#include <string>
auto raw = R"sql(
SELECT "x" -- not a comment
/* nor this */ )"
)sql";

auto plain = u8R"(a)" "b"; // both strings close here
/* the end */
