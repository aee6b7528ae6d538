# census-expect: code=3 comments=4 blanks=0
marker = /<<EOF/
# a comment, not heredoc text
ratio = a / b # division, then a comment
# another comment
puts "done" if line =~ %r{x} || line =~ /"#/
# last
