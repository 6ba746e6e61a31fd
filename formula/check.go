package formula

import (
	"fmt"
	"slices"
	"strings"
)

// CheckError is why a set of formulas was refused: a formula that cannot
// be read (Pos and Msg), a reference to an unknown indicator (Ref), or a
// cycle (Cycle, from a formula back to itself).
type CheckError struct {
	Code  string   // the formula indicator at fault
	Pos   int      // syntax: position in its formula
	Msg   string   // syntax: what is wrong
	Ref   string   // unknown: the code referred to
	Cycle []string // cycle: the codes in order, the first repeated last
}

func (e *CheckError) Error() string {
	switch {
	case len(e.Cycle) > 0:
		return "formulas form a cycle: " + strings.Join(e.Cycle, " → ")
	case e.Ref != "":
		return fmt.Sprintf("formula of %s refers to unknown indicator %s", e.Code, e.Ref)
	}
	return fmt.Sprintf("formula of %s: at %d: %s", e.Code, e.Pos, e.Msg)
}

// Check tells whether a set of formulas, code → source, can be saved: each
// must parse, refer only to codes that are formulas of the set or known
// indicators, and no formula may depend on itself through the others in
// the same period. A reference to the previous period does not make a
// cycle: last month's A is known before this month's A. Formulas are
// checked in code order, so the error is the same on every call; it is a
// *CheckError.
func Check(defs map[string]string, known func(code string) bool) error {
	codes := make([]string, 0, len(defs))
	for c := range defs {
		codes = append(codes, c)
	}
	slices.Sort(codes)

	deps := map[string][]string{} // same-period references among formulas
	for _, c := range codes {
		e, err := Parse(defs[c])
		if err != nil {
			se := err.(*SyntaxError)
			return &CheckError{Code: c, Pos: se.Pos, Msg: se.Msg}
		}
		for _, r := range e.Refs() {
			ref, prev := SplitRef(r)
			if _, isFormula := defs[ref]; !isFormula && (known == nil || !known(ref)) {
				return &CheckError{Code: c, Ref: ref}
			}
			if _, isFormula := defs[ref]; isFormula && !prev && !slices.Contains(deps[c], ref) {
				deps[c] = append(deps[c], ref)
			}
		}
	}

	// Depth-first search; a reference to a formula still on the path
	// closes a cycle.
	const (
		unseen = iota
		onPath
		done
	)
	state := map[string]int{}
	var path []string
	var visit func(c string) []string
	visit = func(c string) []string {
		state[c] = onPath
		path = append(path, c)
		for _, d := range deps[c] {
			switch state[d] {
			case onPath:
				i := slices.Index(path, d)
				return append(slices.Clone(path[i:]), d)
			case unseen:
				if cyc := visit(d); cyc != nil {
					return cyc
				}
			}
		}
		path = path[:len(path)-1]
		state[c] = done
		return nil
	}
	for _, c := range codes {
		if state[c] == unseen {
			if cyc := visit(c); cyc != nil {
				return &CheckError{Code: cyc[0], Cycle: cyc}
			}
		}
	}
	return nil
}
