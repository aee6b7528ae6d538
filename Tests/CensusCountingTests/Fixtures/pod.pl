#!/usr/bin/perl
# census-expect: code=7 comments=6 blanks=4
use strict;
my @a = (1, 2);
my $last = $#a;    # index of the last element

=pod

Documentation in POD.

=cut

print <<"EOT";
# heredoc text is code
EOT
__END__
data after __END__ counts as comment
