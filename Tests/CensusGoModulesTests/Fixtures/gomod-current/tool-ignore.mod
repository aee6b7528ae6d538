module example.com/tools

go 1.25rc1

toolchain default

tool golang.org/x/tools/cmd/stringer

tool (
	example.com/tools/cmd/a
	"example.com/tools/cmd/b"
	golang.org/x/tools/cmd/stringer
)

ignore ./node_modules

ignore (
	testdata
	./docs/...
	testdata
)

require golang.org/x/tools v0.30.0 // indirect

replace example.com/local => .
