package broken

import "strconv"

// BOM is exported.
var BOM = strconv.Itoa(1)
