//go:build mytag

package constraints

import "hash"
