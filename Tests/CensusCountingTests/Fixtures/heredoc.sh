#!/bin/sh
# census-expect: code=12 comments=2 blanks=2
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
