// A go.mod with every directive Go 1.19 knows, in line and block form.

// Deprecated: use example.com/all/v2, which
// has the new API.
//
// This paragraph is not part of the message.
module example.com/all

go 1.19

require example.com/line v1.0.0

require (
	example.com/direct v1.2.3
	example.com/indirect v0.1.0 // indirect
	example.com/pseudo v0.0.0-20210220033141-f8bda1e9f3ba // indirect
	"example.com/quoted" "v1.4.0"
)

exclude example.com/bad v1.1.0

exclude (
	example.com/bad v1.1.1
	example.com/bad v1.1.2
)

replace example.com/line => ./local/line

replace (
	example.com/direct v1.2.3 => example.com/fork v1.2.4
	example.com/other => ../other
	example.com/abs => /srv/abs
)

// Published by mistake.
retract v0.9.0

retract [v0.5.0, v0.6.0] // Broken build.

// Security issues.
retract (
	v0.3.0
	v0.4.0 // Data race.
)
