// +build linux

// +build !amd64

package constraints

import "time"
