module example.com/dups

// Duplicate requirements stay (the go command leaves them to version selection).
require (
	example.com/a v1.0.0
	example.com/a v1.1.0
)

// The first of equal excludes wins.
exclude (
	example.com/b v1.0.0
	example.com/b v1.0.0
	example.com/b v1.1.0
)

// The last replace of the same module and version wins.
replace example.com/c => ./c1
replace example.com/c v1.0.0 => ./c2
replace example.com/c => ./c3

// Retractions are never merged.
retract v0.1.0
retract v0.1.0
