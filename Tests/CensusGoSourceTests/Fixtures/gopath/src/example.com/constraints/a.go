package constraints

import "fmt"

var _ = fmt.Sprint
