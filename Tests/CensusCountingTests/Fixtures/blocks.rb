# census-expect: code=6 comments=4 blanks=1
=begin
A block comment in Ruby
=end
class Greeter
  def hello = "#{name} # not a comment"
end

text = <<~EOS
  # heredoc body
  EOS
