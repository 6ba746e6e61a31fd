package composite

import (
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"

	"github.com/dxtrack/dxtrack"
)

// MCOptions configures the Monte Carlo uncertainty analysis.
type MCOptions struct {
	// Draws is the number of draws (default 1000).
	Draws int `json:"draws"`
	// WeightShare perturbs every weight (MaxPoints under points_sum)
	// uniformly within ± that share in each draw: 0.2 is ±20 %. 0 keeps
	// the weights.
	WeightShare float64 `json:"weight_share"`
	// Normalisers are the choices of normaliser, one drawn uniformly per
	// draw: "" for the rules as defined, or minmax, zscore, rank,
	// relative_best, applied (without caps, direction kept) to the leaves
	// that normalise a numeric input (raw, minmax_fixed, minmax, zscore,
	// rank, relative_best, target); ratio, steps and categorical leaves
	// keep their rules. Empty means as defined only.
	Normalisers []RuleKind `json:"normalisers,omitempty"`
	// Seed makes the draws reproducible: the same seed gives the same
	// result whatever Workers is.
	Seed uint64 `json:"seed"`
	// Workers is the number of goroutines (default runtime.GOMAXPROCS).
	Workers int `json:"workers,omitempty"`
	// Nodes lists further nodes of Root (e.g. the main indices) to give
	// rank intervals for; the total always has them.
	Nodes []string `json:"nodes,omitempty"`
}

// DefaultMCOptions are the usual settings of the handbook: 1,000 draws,
// weights ±20 %, the defined rules or min-max, z-score or rank.
func DefaultMCOptions() MCOptions {
	return MCOptions{Draws: 1000, WeightShare: 0.2, Normalisers: []RuleKind{"", RuleMinMax, RuleZScore, RuleRank}, Seed: 1}
}

// RankInterval is a unit's rank over the draws. The ranks are whole
// numbers (quantiles of the draws' ranks), given as float64 like Mean.
type RankInterval struct {
	Unit    Unit    `json:"unit"`
	Nominal int     `json:"nominal"` // the rank with the index as defined
	Median  float64 `json:"median"`
	P5      float64 `json:"p5"`  // 5th percentile of the draws' ranks (the better end)
	P95     float64 `json:"p95"` // 95th percentile
	Mean    float64 `json:"mean"`
	// Ranked is the number of draws in which the unit had a score.
	Ranked int `json:"ranked"`
}

// RankUncertainty is the result of the Monte Carlo analysis (the
// function Uncertainty takes the name).
type RankUncertainty struct {
	Draws int `json:"draws"`
	// Units are the units' intervals on the total, in the data's order.
	Units []RankInterval `json:"units"`
	// Nodes holds the intervals of the nodes asked for in MCOptions.Nodes.
	Nodes map[string][]RankInterval `json:"nodes,omitempty"`
}

// mcChunk is the number of draws seeded together, so the result does not
// depend on how draws are shared among workers.
const mcChunk = 256

// Uncertainty runs a Monte Carlo over weights and normalisers (the
// OECD/JRC handbook's uncertainty analysis): each draw perturbs every
// weight, picks a normaliser, aggregates the tree again and ranks the
// units (on values rounded to ix.Decimals). The normalised leaf scores
// are computed once per normaliser, with the data's imputations and
// overrides; a draw only aggregates a flattened tree. Views are not
// part of it.
func Uncertainty(ix *Index, d *Data, o MCOptions) (*RankUncertainty, error) {
	if err := ix.Validate(); err != nil {
		return nil, err
	}
	if err := checkUnits(d.Units); err != nil {
		return nil, err
	}
	var p dxtrack.Problems
	if o.Draws <= 0 {
		o.Draws = 1000
	}
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.WeightShare < 0 || o.WeightShare >= 1 || math.IsNaN(o.WeightShare) {
		p.Add("weight_share", "error.composite_share", nil)
	}
	norms := o.Normalisers
	if len(norms) == 0 {
		norms = []RuleKind{""}
	}
	for _, k := range norms {
		switch k {
		case "", RuleMinMax, RuleZScore, RuleRank, RuleRelativeBest:
		default:
			p.Add("normalisers", "error.composite_unknown_rule", map[string]any{"Value": string(k)})
		}
	}
	for _, c := range o.Nodes {
		if findIn(ix.Root, c) == nil {
			p.Add("nodes", "error.composite_unknown_node", map[string]any{"Code": c})
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	m := newMC(ix, d, norms, o.Nodes)
	nu := len(d.Units)
	nt := len(m.tracked)
	var mu sync.Mutex
	hist := make([]int32, nt*nu*(nu+1))
	chunks := (o.Draws + mcChunk - 1) / mcChunk
	next := make(chan int, chunks)
	for c := range chunks {
		next <- c
	}
	close(next)
	var wg sync.WaitGroup
	for range min(o.Workers, chunks) {
		wg.Go(func() {
			w := m.worker()
			local := make([]int32, len(hist))
			for c := range next {
				rng := rand.New(rand.NewPCG(o.Seed, uint64(c)))
				for k := c * mcChunk; k < min(o.Draws, (c+1)*mcChunk); k++ {
					w.draw(rng, o.WeightShare, local)
				}
			}
			mu.Lock()
			for i, v := range local {
				hist[i] += v
			}
			mu.Unlock()
		})
	}
	wg.Wait()
	out := &RankUncertainty{Draws: o.Draws}
	for t, node := range m.tracked {
		iv := make([]RankInterval, nu)
		nominal := m.nominal.Scores[m.flat[node].node.Code]
		for u := range nu {
			h := hist[(t*nu+u)*(nu+1) : (t*nu+u+1)*(nu+1)]
			iv[u] = interval(h)
			iv[u].Unit = d.Units[u]
			iv[u].Nominal = nominal[u].Rank
		}
		if t == 0 {
			out.Units = iv
		} else {
			if out.Nodes == nil {
				out.Nodes = map[string][]RankInterval{}
			}
			out.Nodes[m.flat[node].node.Code] = iv
		}
	}
	return out, nil
}

// interval reads a unit's rank histogram (h[r] draws at rank r).
func interval(h []int32) RankInterval {
	var iv RankInterval
	var n int
	var sum float64
	for r, c := range h {
		n += int(c)
		sum += float64(r) * float64(c)
	}
	iv.Ranked = n
	if n == 0 {
		return iv
	}
	iv.Mean = sum / float64(n)
	q := func(p float64) float64 {
		need := int(math.Ceil(p * float64(n)))
		need = max(need, 1)
		cum := 0
		for r, c := range h {
			cum += int(c)
			if cum >= need {
				return float64(r)
			}
		}
		return float64(len(h) - 1)
	}
	iv.P5, iv.Median, iv.P95 = q(0.05), q(0.5), q(0.95)
	return iv
}

func findIn(n *Node, code string) *Node {
	if n == nil {
		return nil
	}
	if n.Code == code {
		return n
	}
	for _, c := range n.Children {
		if f := findIn(c, code); f != nil {
			return f
		}
	}
	return nil
}

// mcNode is a node of the flattened tree, children before parents.
type mcNode struct {
	node    *Node
	kids    []int     // positions of the children
	w       []float64 // the children's nominal weights
	leaf    int       // position in the leaf matrices, −1 for inner nodes
	over    []float64 // the units' overrides, NaN where none
	hasOver bool
}

// mc is the precomputed state of a Monte Carlo run.
type mc struct {
	ix      *Index
	flat    []mcNode
	leaves  [][][]float64 // normaliser → leaf → unit → score (NaN missing)
	tracked []int         // flat positions ranked: the root, then MCOptions.Nodes
	groups  []int         // unit → group number (−1 none)
	ngroups int
	units   int
	nominal *Result
}

func newMC(ix *Index, d *Data, norms []RuleKind, nodes []string) *mc {
	m := &mc{ix: ix, units: len(d.Units)}
	m.nominal = compute(ix, d)
	var leafNodes []*Node
	pos := map[*Node]int{}
	var flatten func(n *Node) int
	flatten = func(n *Node) int {
		fn := mcNode{node: n, leaf: -1}
		for _, c := range n.Children {
			fn.kids = append(fn.kids, flatten(c))
			fn.w = append(fn.w, childWeight(c, n.Aggregator))
		}
		if len(n.Children) == 0 {
			fn.leaf = len(leafNodes)
			leafNodes = append(leafNodes, n)
		} else {
			fn.over = make([]float64, m.units)
			for u, unit := range d.Units {
				fn.over[u] = math.NaN()
				if v, ok := d.Overrides[unit.Code][n.Code]; ok {
					fn.over[u], fn.hasOver = v, true
				}
			}
		}
		pos[n] = len(m.flat)
		m.flat = append(m.flat, fn)
		return len(m.flat) - 1
	}
	flatten(ix.Root)
	m.tracked = []int{pos[ix.Root]}
	for _, c := range nodes {
		m.tracked = append(m.tracked, pos[findIn(ix.Root, c)])
	}
	groupID := map[string]int{}
	m.groups = make([]int, m.units)
	for u, unit := range d.Units {
		m.groups[u] = -1
		if unit.Group != "" {
			id, ok := groupID[unit.Group]
			if !ok {
				id = len(groupID)
				groupID[unit.Group] = id
			}
			m.groups[u] = id
		}
	}
	m.ngroups = len(groupID)
	for _, k := range norms {
		res := m.nominal
		if k != "" {
			alt := ix.Clone()
			for _, l := range alt.Leaves() {
				switch l.Rule.Kind {
				case RuleRaw, RuleMinMaxFixed, RuleMinMax, RuleZScore, RuleRank, RuleRelativeBest, RuleTarget:
					l.Rule = &Rule{Kind: k, Input: l.Rule.Input, Direction: l.Rule.Direction}
				}
			}
			res = compute(alt, d)
		}
		mat := make([][]float64, len(leafNodes))
		for i, l := range leafNodes {
			row := make([]float64, m.units)
			for u, s := range res.Scores[l.Code] {
				row[u] = s.Value
				if s.Missing {
					row[u] = math.NaN()
				}
			}
			mat[i] = row
		}
		m.leaves = append(m.leaves, mat)
	}
	return m
}

// mcWorker holds one goroutine's buffers.
type mcWorker struct {
	m     *mc
	vals  [][]float64 // flat node → unit → value (leaves point into m.leaves)
	own   [][]float64 // the inner nodes' buffers
	w     []float64
	gsum  []float64
	gn    []int
	order []int
	round []float64
	sw    []float64
	dead  []bool
	zero  []bool
}

func (m *mc) worker() *mcWorker {
	w := &mcWorker{m: m, vals: make([][]float64, len(m.flat)), own: make([][]float64, len(m.flat)),
		gsum: make([]float64, m.ngroups+1), gn: make([]int, m.ngroups+1),
		order: make([]int, m.units), round: make([]float64, m.units),
		sw: make([]float64, m.units), dead: make([]bool, m.units), zero: make([]bool, m.units)}
	for i, f := range m.flat {
		if f.leaf < 0 {
			w.own[i] = make([]float64, m.units)
		}
	}
	return w
}

// draw runs one draw and adds its ranks to hist.
func (w *mcWorker) draw(rng *rand.Rand, share float64, hist []int32) {
	m := w.m
	mat := m.leaves[0]
	if len(m.leaves) > 1 {
		mat = m.leaves[rng.IntN(len(m.leaves))]
	}
	for i := range m.flat {
		f := &m.flat[i]
		if f.leaf >= 0 {
			w.vals[i] = mat[f.leaf]
			continue
		}
		w.w = w.w[:0]
		for _, wt := range f.w {
			if share > 0 {
				wt *= 1 + share*(2*rng.Float64()-1)
			}
			w.w = append(w.w, wt)
		}
		out := w.own[i]
		n := f.node
		if n.Missing == GroupMean {
			for _, k := range f.kids {
				w.fillGroups(k)
			}
		}
		w.aggregate(n, f, out)
		if f.hasOver {
			for u, v := range f.over {
				if !math.IsNaN(v) {
					out[u] = v
				}
			}
		}
		w.vals[i] = out
	}
	for t, node := range m.tracked {
		w.rank(w.vals[node], hist[t*m.units*(m.units+1):(t+1)*m.units*(m.units+1)])
	}
}

// aggregate combines the children at an inner node for all units, child
// by child (as Compute's aggregate does unit by unit).
func (w *mcWorker) aggregate(n *Node, f *mcNode, out []float64) {
	sw, geo := w.sw, n.Aggregator == Geometric
	clear(sw)
	clear(out)
	clear(w.dead)
	clear(w.zero)
	for j, k := range f.kids {
		wt := w.w[j]
		if wt <= 0 {
			continue
		}
		for u, v := range w.vals[k] {
			if v != v { // NaN: missing
				switch n.Missing {
				case Renormalise:
					continue
				case MissingZero:
					v = 0
				default:
					w.dead[u] = true
					continue
				}
			}
			sw[u] += wt
			switch {
			case !geo:
				out[u] += wt * v
			case v <= 0:
				w.zero[u] = true
			default:
				out[u] += wt * math.Log(v)
			}
		}
	}
	for u := range out {
		switch {
		case w.dead[u] || sw[u] == 0:
			out[u] = math.NaN()
		case !geo:
			out[u] /= sw[u]
		case w.zero[u]:
			out[u] = 0
		default:
			out[u] = math.Exp(out[u] / sw[u])
		}
	}
}

// fillGroups fills a child's missing values with its group means, in
// place on the worker's copy (leaf rows are copied first).
func (w *mcWorker) fillGroups(k int) {
	v := w.vals[k]
	missing := false
	for _, x := range v {
		if math.IsNaN(x) {
			missing = true
			break
		}
	}
	if !missing {
		return
	}
	if w.m.flat[k].leaf >= 0 {
		if w.own[k] == nil {
			w.own[k] = make([]float64, len(v))
		}
		copy(w.own[k], v)
		v = w.own[k]
		w.vals[k] = v
	}
	g := len(w.gsum) - 1 // the last slot holds all units
	clear(w.gsum)
	clear(w.gn)
	for u, x := range v {
		if !math.IsNaN(x) {
			if id := w.m.groups[u]; id >= 0 {
				w.gsum[id] += x
				w.gn[id]++
			}
			w.gsum[g] += x
			w.gn[g]++
		}
	}
	for u, x := range v {
		if !math.IsNaN(x) {
			continue
		}
		id := w.m.groups[u]
		if id < 0 || w.gn[id] == 0 {
			id = g
		}
		if w.gn[id] > 0 {
			v[u] = w.gsum[id] / float64(w.gn[id])
		}
	}
}

// rank adds one draw's competition ranks of vals to hist (unit → rank).
func (w *mcWorker) rank(vals []float64, hist []int32) {
	nu := w.m.units
	ord := w.order[:0]
	for u, v := range vals {
		if !math.IsNaN(v) {
			w.round[u] = Round(v, w.m.ix.Decimals)
			ord = append(ord, u)
		}
	}
	slices.SortFunc(ord, func(a, b int) int {
		switch x, y := w.round[a], w.round[b]; {
		case x > y:
			return -1
		case x < y:
			return 1
		}
		return 0
	})
	r := 0
	for k, u := range ord {
		if k == 0 || w.round[u] != w.round[ord[k-1]] {
			r = k + 1
		}
		hist[u*(nu+1)+r]++
	}
}
