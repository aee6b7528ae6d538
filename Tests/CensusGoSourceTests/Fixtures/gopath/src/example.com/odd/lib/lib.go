package weird

// F is exported.
func F() {}
