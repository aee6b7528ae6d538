// Directives newer than Go 1.19: expected output written from the current Go modules reference.
module example.com/current

go 1.23.0

toolchain go1.23.4

godebug default=go1.21

godebug (
	panicnil=1
	http2debug=2=x
	asynctimerchan=
)

require example.com/a v1.0.0
