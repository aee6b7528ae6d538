package other

import "example.com/internal/a/internal/secret"

var _ = secret.Key
