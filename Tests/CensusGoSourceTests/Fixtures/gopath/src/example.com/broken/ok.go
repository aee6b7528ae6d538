package broken

import "fmt"

// OK is exported.
func OK() { fmt.Println() }

// Later is exported.
type Later int
