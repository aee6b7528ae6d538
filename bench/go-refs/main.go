// Command go-refs counts qualified references X.Name into imported packages with the Go
// toolchain's own parser, as an independent reference for census's light parser.
//
// It reads `go list -e -json` output on standard input (GOPATH mode), parses every GoFiles and
// CgoFiles file of each package with go/parser (scopes resolved), and prints one line per
// (importer, imported, name): calls, composite literals, other uses; tab-separated.
//
// A selector X.Name counts when Name is exported, X is an identifier that go/parser left
// unresolved (no local declaration shadows it) and X names one of the file's imports: its
// explicit name, or the imported package's name (from go list, else go/build). The imported path
// is mapped through the package's ImportMap (vendor directories), as go list resolved it.
package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/build"
	"go/parser"
	"go/token"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

type pkg struct {
	ImportPath string
	Dir        string
	Name       string
	GoFiles    []string
	CgoFiles   []string
	ImportMap  map[string]string
}

type key struct{ importer, imported, name string }
type counts struct{ calls, literals, others int }

func main() {
	dec := json.NewDecoder(bufio.NewReader(os.Stdin))
	var pkgs []pkg
	names := map[string]string{}
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		pkgs = append(pkgs, p)
		names[p.ImportPath] = p.Name
	}
	nameOf := func(path, dir string) string {
		if n, ok := names[path]; ok {
			return n
		}
		bp, _ := build.Default.Import(path, dir, 0)
		names[path] = bp.Name
		return bp.Name
	}
	result := map[key]*counts{}
	for _, p := range pkgs {
		files := append(append([]string{}, p.GoFiles...), p.CgoFiles...)
		for _, f := range files {
			fset := token.NewFileSet()
			file, err := parser.ParseFile(fset, filepath.Join(p.Dir, f), nil, 0)
			if err != nil || file == nil {
				continue
			}
			local := map[string]string{}
			for _, spec := range file.Imports {
				raw, _ := strconv.Unquote(spec.Path.Value)
				if raw == "C" {
					continue
				}
				resolved := raw
				if m, ok := p.ImportMap[raw]; ok {
					resolved = m
				}
				if spec.Name != nil {
					if spec.Name.Name != "_" && spec.Name.Name != "." {
						local[spec.Name.Name] = resolved
					}
				} else if n := nameOf(resolved, p.Dir); n != "" {
					local[n] = resolved
				}
			}
			parents := map[ast.Node]ast.Node{}
			var stack []ast.Node
			ast.Inspect(file, func(n ast.Node) bool {
				if n == nil {
					stack = stack[:len(stack)-1]
					return true
				}
				if len(stack) > 0 {
					parents[n] = stack[len(stack)-1]
				}
				stack = append(stack, n)
				return true
			})
			ast.Inspect(file, func(n ast.Node) bool {
				sel, ok := n.(*ast.SelectorExpr)
				if !ok {
					return true
				}
				x, ok := sel.X.(*ast.Ident)
				if !ok || x.Obj != nil || !ast.IsExported(sel.Sel.Name) {
					return true
				}
				path, ok := local[x.Name]
				if !ok {
					return true
				}
				k := key{p.ImportPath, path, sel.Sel.Name}
				c := result[k]
				if c == nil {
					c = &counts{}
					result[k] = c
				}
				// See through a generic instantiation: X.F[T](…), X.T[A]{…}.
				var expr ast.Node = sel
				parent := parents[expr]
				if ix, ok := parent.(*ast.IndexExpr); ok && ix.X == expr {
					expr, parent = ix, parents[ix]
				} else if ix, ok := parent.(*ast.IndexListExpr); ok && ix.X == expr {
					expr, parent = ix, parents[ix]
				}
				switch q := parent.(type) {
				case *ast.CallExpr:
					if q.Fun == expr {
						c.calls++
						return true
					}
				case *ast.CompositeLit:
					if q.Type == expr {
						c.literals++
						return true
					}
				}
				c.others++
				return true
			})
		}
	}
	keys := make([]key, 0, len(result))
	for k := range result {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		a, b := keys[i], keys[j]
		if a.importer != b.importer {
			return a.importer < b.importer
		}
		if a.imported != b.imported {
			return a.imported < b.imported
		}
		return a.name < b.name
	})
	w := bufio.NewWriter(os.Stdout)
	defer w.Flush()
	for _, k := range keys {
		c := result[k]
		fmt.Fprintf(w, "%s\t%s\t%s\t%d\t%d\t%d\n", k.importer, k.imported, k.name, c.calls, c.literals, c.others)
	}
}
