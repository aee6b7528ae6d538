package broken

import "os"

// Body is exported.
func Body() {
	if true {
		os.Exit(1)
}

// After is exported.
const After = 2
