package constraints

import "math"

var _ = math.Pi
