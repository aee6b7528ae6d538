package constraints

import "testing"

func TestA(t *testing.T) {}
