package tests_test

import (
	"example.com/tests"
	"testing"
)

func TestX(t *testing.T) { tests.T() }
