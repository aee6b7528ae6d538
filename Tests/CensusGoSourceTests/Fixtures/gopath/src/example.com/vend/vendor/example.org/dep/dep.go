package dep

// Hello is exported.
func Hello() string { return "hi" }
