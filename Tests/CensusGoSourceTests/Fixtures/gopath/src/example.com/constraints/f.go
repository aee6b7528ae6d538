//go:build linux && !cgo

package constraints

import "errors"

var _ = errors.New
