module example.com/crlf

go 1.18

require (
	example.com/a v1.0.0 // indirect
	example.com/b v1.0.0
)

// Broken.
retract v0.1.0 // Really.
