package cgo

import "fmt"

var _ = fmt.Sprint
