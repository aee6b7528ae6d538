package tests

import "testing"

func TestT(t *testing.T) { T() }
