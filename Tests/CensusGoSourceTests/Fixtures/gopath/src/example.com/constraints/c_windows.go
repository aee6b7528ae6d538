package constraints

import "syscall"

var _ = syscall.Getpid
