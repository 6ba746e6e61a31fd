// Package composite computes composite indices (the provincial DTI, a
// province's own index for its departments and communes, EGDI, DESI): an
// index is data, a versioned tree of nodes with weights or maximum points,
// scoring rules and normalisers at the leaves, an aggregator and a
// missing-data policy at every inner node. The package is pure: it reads
// definitions and input tables and returns scores, ranks and analyses; the
// store keeps them and the web shows them.
package composite

// Index is one version of an index definition: the DTI of Decision 922
// as used for 2022, the province's own index for 2025.
type Index struct {
	Code    string `json:"code" yaml:"code"`       // "DTI-922"
	Version string `json:"version" yaml:"version"` // the framework year or edition: "2022"
	NameVI  string `json:"name_vi" yaml:"name_vi"`
	NameEN  string `json:"name_en" yaml:"name_en"`
	// Decimals is the rounding of published values (4 for the DTI):
	// ranks are taken on values rounded so; scores are kept unrounded.
	Decimals int `json:"decimals" yaml:"decimals"`
	// Source says where the definition comes from (a decision, a URL).
	Source string `json:"source,omitempty" yaml:"source,omitempty"`
	Root   *Node  `json:"root" yaml:"root"`
	// Views are further trees computed over the scores of Root's nodes
	// (their leaves use RuleNode): the DTI's three pillar scores, whose
	// formula is not public, are configured so rather than hard-coded.
	// Their nodes are scored and ranked like Root's.
	Views []*Node `json:"views,omitempty" yaml:"views,omitempty"`
}

// Node is a node of the tree: the index itself, a pillar, a main index, a
// sub-dimension or a component (a leaf).
type Node struct {
	Code   string `json:"code" yaml:"code"` // unique within the index
	NameVI string `json:"name_vi" yaml:"name_vi"`
	NameEN string `json:"name_en,omitempty" yaml:"name_en,omitempty"`
	// Weight is the node's weight within its parent for the weighted
	// aggregators; MaxPoints its maximum for points_sum. A node with
	// weight (or maximum) 0 is collected and shown but not scored.
	Weight    float64 `json:"weight,omitempty" yaml:"weight,omitempty"`
	MaxPoints float64 `json:"max_points,omitempty" yaml:"max_points,omitempty"`
	// Level names what the node is ("pillar", "main", "sub", "component");
	// it labels pages and selects the nodes of a lineage rule.
	Level string `json:"level,omitempty" yaml:"level,omitempty"`

	// Inner nodes: how the children combine, and what to do when one is
	// missing for a unit.
	Aggregator Aggregator    `json:"aggregator,omitempty" yaml:"aggregator,omitempty"`
	Missing    MissingPolicy `json:"missing,omitempty" yaml:"missing,omitempty"`
	// WeightsSum, when set, is what the children's weights must add up to
	// (1 for DESI's dimensions); validation refuses other sums.
	WeightsSum float64 `json:"weights_sum,omitempty" yaml:"weights_sum,omitempty"`
	Children   []*Node `json:"children,omitempty" yaml:"children,omitempty"`

	// Leaves: how the input becomes the node's score.
	Rule *Rule `json:"rule,omitempty" yaml:"rule,omitempty"`
}

// Aggregator is how an inner node combines its children's scores.
type Aggregator string

// Aggregators.
const (
	// WeightedMean is Σ wᵢ·sᵢ / Σ wᵢ over the children taken.
	WeightedMean Aggregator = "weighted_mean"
	// Geometric is Π sᵢ^(wᵢ/Σw).
	Geometric Aggregator = "geometric"
	// PointsSum adds the children's points; the node's score is its
	// points over the sum of the children's maxima.
	PointsSum Aggregator = "points_sum"
)

// MissingPolicy is what an inner node does when a child has no score for
// a unit. Every value it fills in is flagged as imputed in the result.
type MissingPolicy string

// Missing-data policies.
const (
	// MissingNone leaves the node missing when a child is.
	MissingNone MissingPolicy = "none"
	// Renormalise drops the missing child and re-normalises the weights
	// of the present ones (DESI).
	Renormalise MissingPolicy = "renormalise"
	// CarryForward takes the unit's input from the previous edition.
	CarryForward MissingPolicy = "carry_forward"
	// GroupMean takes the mean of the child over the units of the same
	// group (Unit.Group), or over all units when the unit has no group.
	GroupMean MissingPolicy = "group_mean"
	// MissingZero scores a missing child 0 (the DTI: no evidence, no
	// points).
	MissingZero MissingPolicy = "zero"
)

// RuleKind is how a leaf scores its input.
type RuleKind string

// Scoring rules and normalisers.
const (
	RuleRaw          RuleKind = "raw"           // the input as it is (EGDI's OSI, HCI, TII)
	RuleRatio        RuleKind = "ratio"         // input / denominator (× MaxPoints for points)
	RuleSteps        RuleKind = "steps"         // the score of the highest step the input reaches
	RuleCategorical  RuleKind = "categorical"   // the score of the input's category
	RuleRelativeBest RuleKind = "relative_best" // input / best input over the units
	RuleMinMaxFixed  RuleKind = "minmax_fixed"  // (x − Min) / (Max − Min), fixed bounds (DESI)
	RuleMinMax       RuleKind = "minmax"        // the same over the sample's min and max
	RuleZScore       RuleKind = "zscore"        // (x − mean) / standard deviation over the sample
	RuleRank         RuleKind = "rank"          // the unit's rank among the units, rescaled to [0, 1]
	RuleTarget       RuleKind = "target"        // distance to target: x / Target, capped at 1
	RuleNode         RuleKind = "node"          // the score of another node (Input names it); views only
)

// Rule is a leaf's scoring rule. Scores are on a 0–1 scale (normalisers
// other than the fixed-bound one may leave it); a leaf's points are its
// score times its MaxPoints.
type Rule struct {
	Kind RuleKind `json:"kind" yaml:"kind"`
	// Input names the input column; empty means the node's code.
	Input string `json:"input,omitempty" yaml:"input,omitempty"`
	// Denominator names the column that divides Input for RuleRatio.
	Denominator string `json:"denominator,omitempty" yaml:"denominator,omitempty"`
	// Direction is +1 when more is better (the default, 0) and −1 when
	// less is.
	Direction int `json:"direction,omitempty" yaml:"direction,omitempty"`
	// Min and Max are the fixed bounds of RuleMinMaxFixed.
	Min *float64 `json:"min,omitempty" yaml:"min,omitempty"`
	Max *float64 `json:"max,omitempty" yaml:"max,omitempty"`
	// Target is the goal of RuleTarget.
	Target float64 `json:"target,omitempty" yaml:"target,omitempty"`
	// Steps are thresholds, lowest first: an input ≥ AtLeast scores
	// Score (the highest step reached wins; below all, 0).
	Steps []Step `json:"steps,omitempty" yaml:"steps,omitempty"`
	// Categories score text inputs ("chairman" 1, "deputy" 0.5).
	Categories []Category `json:"categories,omitempty" yaml:"categories,omitempty"`
	// CapLow and CapHigh clamp the score (e.g. a ratio capped at 1).
	CapLow  *float64 `json:"cap_low,omitempty" yaml:"cap_low,omitempty"`
	CapHigh *float64 `json:"cap_high,omitempty" yaml:"cap_high,omitempty"`
}

// Step is a threshold of RuleSteps.
type Step struct {
	AtLeast float64 `json:"at_least" yaml:"at_least"`
	Score   float64 `json:"score" yaml:"score"`
}

// Category is a category of RuleCategorical.
type Category struct {
	Value string  `json:"value" yaml:"value"`
	Score float64 `json:"score" yaml:"score"`
}

// Unit is a row of the input table: a province, a department, a commune.
type Unit struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Group string `json:"group,omitempty"` // for GroupMean ("commune", "ward", a region)
}

// Data is the input table of one edition: units × input columns.
// Numbers and texts are keyed by unit code, then by column.
type Data struct {
	Units   []Unit                        `json:"units"`
	Numbers map[string]map[string]float64 `json:"numbers"`
	Texts   map[string]map[string]string  `json:"texts,omitempty"`
	// Prior is the previous edition's numbers, for CarryForward.
	Prior map[string]map[string]float64 `json:"prior,omitempty"`
	// Overrides set leaf scores directly, unit code → leaf code → score:
	// a what-if, or a gap plan applied.
	Overrides map[string]map[string]float64 `json:"overrides,omitempty"`
}

// Score is one node's result for one unit.
type Score struct {
	Value   float64 `json:"value"`            // unrounded, on the node's scale
	Points  float64 `json:"points,omitempty"` // Value × MaxPoints where the node has points
	Rank    int     `json:"rank,omitempty"`   // standard competition rank on the rounded value; 0 when missing
	Missing bool    `json:"missing,omitempty"`
	Imputed bool    `json:"imputed,omitempty"` // filled in by a missing-data policy, here or below
}

// Result is an index computed for a set of units (a cohort): a score per
// node and unit.
type Result struct {
	Index *Index `json:"index"`
	Units []Unit `json:"units"`
	// Scores holds, per node code, the units' scores in the order of
	// Units.
	Scores map[string][]Score `json:"scores"`
}
