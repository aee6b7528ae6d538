module example.com/badÿutf8

require (
	example.com/truncâ‚ v1.0.0
	"example.com/quotedÿ" v1.0.0
	example.com/okï¿½ v1.0.0
)

// Latin-1: café
retract v0.1.0
