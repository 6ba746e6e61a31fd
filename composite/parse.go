package composite

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"

	"go.yaml.in/yaml/v3"

	"github.com/dxtrack/dxtrack"
)

// flatNode is a node of the flat form of a definition: a list of nodes,
// each naming its parent, instead of the nested root.
type flatNode struct {
	Node   `yaml:",inline"`
	Parent string `json:"parent,omitempty" yaml:"parent,omitempty"`
}

// indexDoc is a definition as written: the nested form (root) or the flat
// one (nodes).
type indexDoc struct {
	Index `yaml:",inline"`
	Nodes []flatNode `json:"nodes,omitempty" yaml:"nodes,omitempty"`
}

// Parse reads a definition written in JSON (when it starts with "{") or
// YAML, either nested (root: with children) or flat (nodes: a list whose
// entries name their parent; the one without a parent is the root).
// Unknown fields are refused. The index is validated: errors are
// dxtrack.Problems naming the field (see Validate).
func Parse(data []byte) (*Index, error) {
	var doc indexDoc
	trimmed := bytes.TrimSpace(data)
	if bytes.HasPrefix(trimmed, []byte("{")) {
		dec := json.NewDecoder(bytes.NewReader(trimmed))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&doc); err != nil {
			return nil, syntaxError(err)
		}
		if dec.More() {
			return nil, dxtrack.Invalid("definition", "error.composite_syntax", map[string]any{"Value": "trailing data"})
		}
	} else {
		dec := yaml.NewDecoder(bytes.NewReader(trimmed))
		dec.KnownFields(true)
		if err := dec.Decode(&doc); err != nil && !errors.Is(err, io.EOF) {
			return nil, syntaxError(err)
		}
	}
	ix := doc.Index
	if len(doc.Nodes) > 0 {
		if ix.Root != nil {
			return nil, dxtrack.Invalid("nodes", "error.composite_both_forms", nil)
		}
		root, err := buildTree(doc.Nodes)
		if err != nil {
			return nil, err
		}
		ix.Root = root
	}
	if err := ix.Validate(); err != nil {
		return nil, err
	}
	return &ix, nil
}

func syntaxError(err error) error {
	return dxtrack.Invalid("definition", "error.composite_syntax", map[string]any{"Value": err.Error()})
}

// buildTree links a flat list of nodes into a tree, keeping the list's
// order among siblings. Unknown parents, cycles and several roots are
// refused, naming the node.
func buildTree(list []flatNode) (*Node, error) {
	var p dxtrack.Problems
	byCode := make(map[string]*flatNode, len(list))
	for i := range list {
		f := &list[i]
		if f.Code == "" {
			p.Add("nodes["+itoa(i)+"].code", "error.required", nil)
			continue
		}
		if byCode[f.Code] != nil {
			p.Add("nodes."+f.Code+".code", "error.composite_duplicate_node", map[string]any{"Code": f.Code})
			continue
		}
		if len(f.Children) > 0 {
			p.Add("nodes."+f.Code+".children", "error.composite_flat_children", nil)
		}
		byCode[f.Code] = f
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	var roots []*flatNode
	for i := range list {
		f := &list[i]
		if f.Parent == "" {
			roots = append(roots, f)
			continue
		}
		if byCode[f.Parent] == nil {
			p.Add("nodes."+f.Code+".parent", "error.composite_unknown_parent", map[string]any{"Code": f.Parent})
			continue
		}
		// Follow the parents up: coming back to f is a cycle.
		seen := map[string]bool{f.Code: true}
		for up := byCode[f.Parent]; up != nil && up.Parent != ""; up = byCode[up.Parent] {
			if seen[up.Code] {
				p.Add("nodes."+f.Code+".parent", "error.composite_cycle", map[string]any{"Code": f.Code})
				break
			}
			seen[up.Code] = true
		}
	}
	switch {
	case len(roots) == 0 && len(p) == 0:
		p.Add("nodes", "error.composite_no_root", nil)
	case len(roots) > 1:
		for _, r := range roots[1:] {
			p.Add("nodes."+r.Code+".parent", "error.composite_two_roots", map[string]any{"Code": roots[0].Code})
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	nodes := make(map[string]*Node, len(list))
	for i := range list {
		n := list[i].Node
		n.Children = nil
		nodes[n.Code] = &n
	}
	for i := range list {
		if par := list[i].Parent; par != "" {
			nodes[par].Children = append(nodes[par].Children, nodes[list[i].Code])
		}
	}
	return nodes[roots[0].Code], nil
}

// JSON returns the definition as indented JSON, in the nested form;
// Parse gives back the same index.
func (ix *Index) JSON() ([]byte, error) {
	return json.MarshalIndent(ix, "", "  ")
}

// YAML returns the definition as YAML, in the nested form; Parse gives
// back the same index.
func (ix *Index) YAML() ([]byte, error) {
	var b bytes.Buffer
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(ix); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}
