// A module that requires itself and a module that requires it back: only data to the parser.
module example.com/cycle

require (
	example.com/cycle v1.0.0
	example.com/back v1.0.0
)

replace example.com/back => ../back
