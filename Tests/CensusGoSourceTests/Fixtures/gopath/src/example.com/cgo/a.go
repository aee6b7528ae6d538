package cgo

// int two(void) { return 2; }
import "C"

import "unsafe"

var _ = unsafe.Sizeof(0)

// Two calls C.
func Two() int { return int(C.two()) }
