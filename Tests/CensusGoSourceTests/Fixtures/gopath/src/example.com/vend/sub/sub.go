package sub

import "example.org/dep"

var _ = dep.Hello()
