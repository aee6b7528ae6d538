package vend

import (
	"example.org/dep"
	"example.org/empty"
)

var _ = dep.Hello
