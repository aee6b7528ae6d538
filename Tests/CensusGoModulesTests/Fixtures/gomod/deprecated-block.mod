// Deprecated: the block's comment counts when the line has none.
module (
	example.com/dep
)
