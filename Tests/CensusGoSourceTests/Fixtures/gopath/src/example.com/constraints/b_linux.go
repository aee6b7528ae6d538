package constraints

import "os"

var _ = os.Exit
