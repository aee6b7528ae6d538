package p

const (
	A = 1 // ends with a backslash \
	B = 2
)
