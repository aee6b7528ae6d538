// +build ignore

package constraints

import "unicode"
