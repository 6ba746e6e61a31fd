package composite

import (
	"embed"
	"fmt"
	"io/fs"
)

// frameworkFiles are the shipped definitions, one YAML file per index
// version, commented: they are the source of truth.
//
//go:embed frameworks/*.yaml
var frameworkFiles embed.FS

// builtins holds the parsed frameworks; a file that does not parse is a
// build defect the package tests catch.
var builtins = func() []*Index {
	names, err := fs.Glob(frameworkFiles, "frameworks/*.yaml")
	if err != nil {
		panic(err)
	}
	var out []*Index
	for _, name := range names {
		b, err := frameworkFiles.ReadFile(name)
		if err != nil {
			panic(err)
		}
		ix, err := Parse(b)
		if err != nil {
			panic(fmt.Sprintf("composite: %s: %v", name, err))
		}
		out = append(out, ix)
	}
	return out
}()

// Builtins returns the shipped index definitions (DTI-922 2022, DTI-1726
// 2020, EGDI 2022, DESI 2022), each a fresh copy the caller may change.
func Builtins() []*Index {
	out := make([]*Index, len(builtins))
	for i, ix := range builtins {
		out[i] = ix.Clone()
	}
	return out
}

// Builtin returns a copy of the shipped definition of an index code and
// version ("DTI-922", "2022"), or nil.
func Builtin(code, version string) *Index {
	for _, ix := range builtins {
		if ix.Code == code && ix.Version == version {
			return ix.Clone()
		}
	}
	return nil
}

// Clone returns a deep copy of the index.
func (ix *Index) Clone() *Index {
	if ix == nil {
		return nil
	}
	out := *ix
	out.Root = ix.Root.Clone()
	out.Views = make([]*Node, len(ix.Views))
	for i, v := range ix.Views {
		out.Views[i] = v.Clone()
	}
	if ix.Views == nil {
		out.Views = nil
	}
	return &out
}

// Clone returns a deep copy of the node and its subtree.
func (n *Node) Clone() *Node {
	if n == nil {
		return nil
	}
	out := *n
	if n.Rule != nil {
		r := *n.Rule
		r.Min, r.Max = clonePtr(r.Min), clonePtr(r.Max)
		r.CapLow, r.CapHigh = clonePtr(r.CapLow), clonePtr(r.CapHigh)
		if r.Steps != nil {
			r.Steps = append([]Step(nil), r.Steps...)
		}
		if r.Categories != nil {
			r.Categories = append([]Category(nil), r.Categories...)
		}
		out.Rule = &r
	}
	if n.Children != nil {
		out.Children = make([]*Node, len(n.Children))
		for i, c := range n.Children {
			out.Children[i] = c.Clone()
		}
	}
	return &out
}

func clonePtr(p *float64) *float64 {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}
