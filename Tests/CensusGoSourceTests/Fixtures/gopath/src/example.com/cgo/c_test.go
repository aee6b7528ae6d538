package cgo

import "C"
import "testing"

func TestC(t *testing.T) {}
