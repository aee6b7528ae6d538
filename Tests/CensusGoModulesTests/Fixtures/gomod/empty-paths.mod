module example.com/empty

// The go command drops entries whose module path is empty.
require "" v1.0.0
exclude "" v1.0.0
replace "" => ./x
require example.com/kept v1.0.0
