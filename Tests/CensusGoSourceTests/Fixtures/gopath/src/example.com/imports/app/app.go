package app

import (
	_ "embed"
	l "example.com/imports/lib"
	"fmt"
	. "strings"
)

// Run uses lib in every way the tests count.
func Run() {
	c := l.New()
	_ = l.Dial("x")
	var o l.Option
	_ = o
	cl := l.Client{}
	_ = cl
	p := &l.Client{Addr: "a"}
	_ = p
	_ = l.Version
	_ = l.Default
	f := l.New
	_ = f
	x := l.Option(nil)
	_ = x
	if v := l.New(); v != nil {
		fmt.Println(ToUpper("a"), c)
	}
}
