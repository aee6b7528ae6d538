package p

var s = `
// not a comment
/* nor this */`
