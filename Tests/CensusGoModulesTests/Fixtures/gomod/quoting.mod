module "example.com/quoted<&>"

require (
	"example.com/esc\x61ped" "v1.0.0"
	"example.com/octal\141" v1.0.0
	"example.com/unicode/caf\u00e9" v1.0.0
	"example.com/tab\there" v1.0.0
	"example.com/quote\"d" v1.0.0
	example.com/é v1.0.0
)
