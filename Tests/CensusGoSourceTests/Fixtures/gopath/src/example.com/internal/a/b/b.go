package b

import "example.com/internal/a/internal/secret"

var _ = secret.Key
