# census-expect: code=3 comments=2 blanks=0
/^#/ { next }
$1 ~ /"/ { quotes++ }
# a comment
END { print quotes / 2 }  # halves
