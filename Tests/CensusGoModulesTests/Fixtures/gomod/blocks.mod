module example.com/blocks

// Empty blocks, one-line empty blocks, and parentheses in the middle of a line.
require (
)
exclude ()

require example.com/a v1.0.0 // after
require (
	// comment before the closing parenthesis
) // after the closing parenthesis
replace (
	example.com/b v1.0.0 => example.com/c v1.0.0 // suffix
) 
