// Package dep does things.
//
// Deprecated:no space needed,
// and the message runs to the end of the paragraph.
//
// Deprecated: a second paragraph is ignored.
module example.com/dep
