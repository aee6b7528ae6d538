module example.com/indirect

// Only a trailing comment whose first word is "indirect" alone, or "indirect;" followed by more, counts.
require (
	example.com/a v1.0.0 // indirect
	example.com/b v1.0.0 //indirect
	example.com/c v1.0.0 //	indirect	
	example.com/d v1.0.0 // indirect; needed by tests
	example.com/e v1.0.0 // indirect;
	example.com/f v1.0.0 // indirect;needed
	example.com/g v1.0.0 // indirect needed
	example.com/h v1.0.0 // Indirect
	example.com/i v1.0.0 // not indirect
	// indirect
	example.com/j v1.0.0
)

require example.com/k v1.0.0 // indirect
