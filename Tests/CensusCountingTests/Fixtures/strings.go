// census-expect: code=10 comments=5 blanks=3
package main

/*
Package doc in a block.
*/
import "fmt"

var table = `
// this is data, not a comment
/* nor is this */`

func main() {
	s := "a \" // b" // c
	r := '`'
	// r is a backquote rune, so no raw string opened above
	fmt.Println(s, r, table)
}
