#!/bin/sh
# census-expect: code=11 comments=3 blanks=2
count=$#
len=${#count}
echo "don't # stop" # real comment
echo it\'s

cat <<EOF
# inside a heredoc: code
it's fine
EOF
cat << 'END' | grep x
	# also heredoc text

END
# after the heredoc: a comment
