package use

import "example.com/odd/lib"

// G calls weird.F: the package name is not the last element of its path.
func G() { weird.F() }
