package a

import "example.com/cycle/b"

var _ = b.B

// A is exported.
const A = 1
