package constraints

import "os/exec"

var _ = exec.Command
