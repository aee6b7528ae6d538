//go:build linux
// +build windows

package constraints

import "sort"

var _ = sort.Ints
