package elsewhere

import "net"

var _ = net.Dial
