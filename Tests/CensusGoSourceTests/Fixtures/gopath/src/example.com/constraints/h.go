//go:build (linux || darwin) && go1.18

package constraints

import "strings"

var _ = strings.ToUpper
