package constraints

import "math/bits"

var _ = bits.UintSize
