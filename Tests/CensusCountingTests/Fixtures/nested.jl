# census-expect: code=2 comments=4 blanks=0
#= outer
#= inner =#
still comment =#
f(x) = x + 1
y = f(2)
