// +build ignore
package constraints

import "bytes"

var _ = bytes.Equal
