// +build linux,386 darwin

package constraints

import "regexp"
