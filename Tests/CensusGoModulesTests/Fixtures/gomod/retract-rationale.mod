module example.com/retract

// Applies to lines of the block that have no comments of their own.
retract (
	v1.0.0

	v1.1.0
	// Before, even across a blank line inside the block:

	v1.2.0 // and after.
	[v1.3.0, v1.4.0]
)

// First line.
//
// Third line, after an empty comment line.
retract v2.0.0 // Suffix.
