package tests

// T is exported.
func T() {}
