//go:build linux &&

package constraints

import "io"
