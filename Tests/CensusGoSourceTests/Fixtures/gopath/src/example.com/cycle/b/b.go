package b

import "example.com/cycle/a"

var _ = a.A

// B is exported.
const B = 2
