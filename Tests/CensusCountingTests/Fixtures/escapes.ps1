# census-expect: code=4 comments=3 blanks=0
$s = "a `" b"
$t = 'it''s'
# a comment
$u = "tab`t and `$var"
<# block #>
Write-Host $s
