package dxtrack

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// Composite indices (issue 5): the provincial DTI, a province's own index
// for its departments and communes, EGDI, DESI.
//
// The engine (package composite) imports this package for its errors, so
// the domain cannot name the engine's types. The contract therefore
// carries an index definition as its JSON document (what composite.Parse
// reads and (*composite.Index).JSON writes) and an edition's inputs as an
// IndexTable, the shape of composite.Data. Parsing, validating and
// computing are the engine's; storing, permissions and the workflow of
// component scores are the domain's, here, and the store's.

// IndexDefinition is one stored version of an index definition.
type IndexDefinition struct {
	ID      int64  `json:"id"`
	Code    string `json:"code"`    // "DTI-922"
	Version string `json:"version"` // "2022"
	NameVI  string `json:"name_vi"`
	NameEN  string `json:"name_en"`
	// Builtin definitions come with dxtrack (the DTI, EGDI, DESI) and
	// cannot be changed; a new version is imported under another code.
	Builtin bool `json:"builtin"`
	// Definition is the JSON document of the tree.
	Definition json.RawMessage `json:"definition"`
	CreatedAt  time.Time       `json:"created_at"`
}

// Name returns the definition's name in the language, falling back to
// Vietnamese.
func (d *IndexDefinition) Name(lang string) string {
	if lang == "en" && d.NameEN != "" {
		return d.NameEN
	}
	return d.NameVI
}

// EditionSource is where an edition's inputs come from.
type EditionSource string

// Edition sources.
const (
	// FromTable: an imported table, unit × input column (CSV or xlsx).
	FromTable EditionSource = "table"
	// FromIndicators: the system's own indicator values, a column per
	// indicator, rolled up over the edition's year.
	FromIndicators EditionSource = "indicators"
	// FromLineage: derived from an edition of former units by the lineage
	// rule (the mean of each main index over a successor's former units).
	FromLineage EditionSource = "lineage"
)

// YearAgg says how an indicator's values make an edition's yearly input.
type YearAgg string

// Year aggregations.
const (
	AggYear     YearAgg = "year"     // the indicator's own aggregation over the year
	AggDecember YearAgg = "december" // the December figure: the state at the year's end
)

// EditionInput maps an input column of the definition to an indicator.
type EditionInput struct {
	Column    string  `json:"column"`
	Indicator string  `json:"indicator"` // indicator code
	Agg       YearAgg `json:"agg"`
}

// IndexEdition is an index version applied to a year and a cohort of
// units: "DTI 2022, 63 provinces", "internal index 2025, Quảng Ninh's
// communes".
type IndexEdition struct {
	ID           int64  `json:"id"`
	IndexID      int64  `json:"index_id"`
	IndexCode    string `json:"index_code"`
	IndexVersion string `json:"index_version"`
	Year         int    `json:"year"`
	NameVI       string `json:"name_vi"`
	NameEN       string `json:"name_en"`
	Cohort       string `json:"cohort"` // "63 tỉnh, thành phố", "xã, phường"
	// OwnerUnitID is the unit whose office runs the edition: its admins
	// and reviewers appraise and finalise scores.
	OwnerUnitID int64         `json:"owner_unit_id"`
	Source      EditionSource `json:"source"`
	// Inputs map columns to indicators (FromIndicators); Level names the
	// cohort below the owner unit: "children", "local" or a unit type.
	Inputs []EditionInput `json:"inputs,omitempty"`
	Level  string         `json:"level,omitempty"`
	// DerivedFrom is the source edition of a FromLineage edition.
	DerivedFrom int64     `json:"derived_from,omitempty"`
	CreatedAt   time.Time `json:"created_at"`
}

// Name returns the edition's name in the language.
func (e *IndexEdition) Name(lang string) string {
	if lang == "en" && e.NameEN != "" {
		return e.NameEN
	}
	return e.NameVI
}

// Validate checks the edition's own fields.
func (e *IndexEdition) Validate() error {
	var p Problems
	e.NameVI = strings.TrimSpace(e.NameVI)
	if e.NameVI == "" {
		p.Add("name_vi", "error.required", nil)
	}
	if e.Year < 1990 || e.Year > 2100 {
		p.Add("year", "error.indices_year", nil)
	}
	switch e.Source {
	case FromTable, FromLineage:
	case FromIndicators:
		if len(e.Inputs) == 0 {
			p.Add("inputs", "error.required", nil)
		}
		for i, in := range e.Inputs {
			if in.Agg == "" {
				in.Agg, e.Inputs[i].Agg = AggYear, AggYear
			}
			if in.Agg != AggYear && in.Agg != AggDecember {
				p.Add("inputs."+in.Column, "error.unknown_value", map[string]any{"Value": string(in.Agg)})
			}
			if in.Indicator == "" {
				p.Add("inputs."+in.Column, "error.required", nil)
			}
		}
	default:
		p.Add("source", "error.unknown_value", map[string]any{"Value": string(e.Source)})
	}
	return p.Err()
}

// IndexRow is a unit of an edition's cohort: a row of its input table.
type IndexRow struct {
	Code  string `json:"code"`
	Name  string `json:"name"`
	Group string `json:"group,omitempty"`
	// UnitID links the row to a unit of the system, whose reporters then
	// self-assess its components; 0 for outside units (countries).
	UnitID int64 `json:"unit_id,omitempty"`
}

// IndexTable is an edition's inputs: the cohort and its values per input
// column, keyed by row code then column.
type IndexTable struct {
	Rows    []IndexRow                    `json:"rows"`
	Numbers map[string]map[string]float64 `json:"numbers"`
	Texts   map[string]map[string]string  `json:"texts,omitempty"`
}

// ScoreStage is where a component score stands. Ranking takes the final
// score where there is one, else the appraised, else the self-assessed,
// else the score computed from the inputs (StageData).
type ScoreStage string

// Score stages, in order.
const (
	StageData      ScoreStage = "data"
	StageSelf      ScoreStage = "self"
	StageAppraised ScoreStage = "appraised"
	StageFinal     ScoreStage = "final"
)

// StageOrder ranks stages: an aggregate figure is at the lowest stage of
// the component scores under it that went through the workflow.
func StageOrder(s ScoreStage) int {
	switch s {
	case StageSelf:
		return 1
	case StageAppraised:
		return 2
	case StageFinal:
		return 3
	}
	return 0
}

// ScoreAction is a step of the component-score workflow.
type ScoreAction string

// Score actions: a unit self-assesses; the digital-transformation office
// appraises and then finalises.
const (
	ActionSelfAssess ScoreAction = "self_assess"
	ActionAppraise   ScoreAction = "appraise"
	ActionFinalise   ScoreAction = "finalise"
)

// ComponentScore is one unit's score for one component (a leaf) of an
// edition, on the leaf's 0–1 scale, through the workflow.
type ComponentScore struct {
	ID            int64      `json:"id"`
	EditionID     int64      `json:"edition_id"`
	Unit          string     `json:"unit"` // row code
	Node          string     `json:"node"` // leaf code
	Self          *float64   `json:"self"`
	SelfNote      string     `json:"self_note,omitempty"`
	Appraised     *float64   `json:"appraised"`
	AppraisedNote string     `json:"appraised_note,omitempty"`
	Final         *float64   `json:"final"`
	Stage         ScoreStage `json:"stage"`
	Evidence      []int64    `json:"evidence,omitempty"` // evidence file IDs
	UpdatedAt     time.Time  `json:"updated_at"`
	UpdatedBy     int64      `json:"updated_by"`
}

// Current returns the score ranking uses and its stage: final, else
// appraised, else self-assessed; ok is false when there is none.
func (c *ComponentScore) Current() (v float64, stage ScoreStage, ok bool) {
	switch {
	case c.Final != nil:
		return *c.Final, StageFinal, true
	case c.Appraised != nil:
		return *c.Appraised, StageAppraised, true
	case c.Self != nil:
		return *c.Self, StageSelf, true
	}
	return 0, StageData, false
}

// Apply performs a workflow step. A self-assessment is refused once the
// score is appraised; an appraisal once it is final; finalising needs an
// appraisal and takes it when value is nil. Permissions are the caller's
// (CanSelfAssess, CanAppraise).
func (c *ComponentScore) Apply(action ScoreAction, value *float64, note string) error {
	note = strings.TrimSpace(note)
	if value != nil && *value < 0 {
		return Invalid("value", "error.indices_score_negative", nil)
	}
	switch action {
	case ActionSelfAssess:
		if c.Stage == StageAppraised || c.Stage == StageFinal {
			return Errorf(ECONFLICT, "error.indices_score_locked", nil)
		}
		if value == nil {
			return Invalid("value", "error.required", nil)
		}
		c.Self, c.SelfNote, c.Stage = value, note, StageSelf
	case ActionAppraise:
		if c.Stage == StageFinal {
			return Errorf(ECONFLICT, "error.indices_score_locked", nil)
		}
		if value == nil {
			value = c.Self
		}
		if value == nil {
			return Invalid("value", "error.required", nil)
		}
		c.Appraised, c.AppraisedNote, c.Stage = value, note, StageAppraised
	case ActionFinalise:
		if c.Stage != StageAppraised {
			return Errorf(ECONFLICT, "error.indices_not_appraised", nil)
		}
		if value == nil {
			value = c.Appraised
		}
		c.Final, c.Stage = value, StageFinal
	default:
		return Errorf(EINVALID, "error.unknown_value", map[string]any{"Value": string(action)})
	}
	return nil
}

// CanSelfAssess reports whether the user may self-assess the row of the
// unit with the given path: its own reporter, or an admin over it.
func (u *User) CanSelfAssess(rowPath []int64) bool { return u.CanReport(rowPath) }

// CanAppraise reports whether the user may appraise and finalise scores
// of an edition run by the unit with the given path: a reviewer or an
// admin of that office.
func (u *User) CanAppraise(ownerPath []int64) bool { return u.CanOverride(ownerPath) }

// IndexEvidence is a file proving a component score.
type IndexEvidence struct {
	ID          int64     `json:"id"`
	ScoreID     int64     `json:"score_id"`
	Name        string    `json:"name"`
	ContentType string    `json:"content_type"`
	Size        int64     `json:"size"`
	Data        []byte    `json:"-"`
	CreatedAt   time.Time `json:"created_at"`
}

// EditionFilter selects editions; zero fields do not filter.
type EditionFilter struct {
	IndexCode string
	IndexID   int64
}

// IndexService keeps index definitions, editions with their inputs, and
// component scores. Anyone signed in reads; admins import definitions and
// create editions (over the owner unit); scores follow CanSelfAssess and
// CanAppraise, each step audited (entity "index_score").
type IndexService interface {
	// FindIndexDefinitions lists every stored version, by code then
	// version.
	FindIndexDefinitions(ctx context.Context) ([]*IndexDefinition, error)
	// FindIndexDefinition returns one version; version "" the latest.
	FindIndexDefinition(ctx context.Context, code, version string) (*IndexDefinition, error)
	// ImportIndexDefinition stores a definition given as JSON or YAML,
	// after the engine validates it (EINVALID naming the nodes at fault).
	// A code and version already stored is replaced unless builtin
	// (ECONFLICT) or used by an edition (ECONFLICT).
	ImportIndexDefinition(ctx context.Context, doc []byte) (*IndexDefinition, error)
	// InstallBuiltins stores the engine's builtin definitions not yet
	// stored; it needs no user (the migration and the loader call it).
	InstallBuiltins(ctx context.Context) error

	FindEditions(ctx context.Context, f EditionFilter) ([]*IndexEdition, error)
	FindEdition(ctx context.Context, id int64) (*IndexEdition, error)
	// CreateEdition stores an edition with its input table (FromTable),
	// checked against the definition: every row has a code, every column
	// is an input of the definition. Nothing is stored on error.
	CreateEdition(ctx context.Context, e *IndexEdition, t *IndexTable) error
	// ImportEdition reads a CSV or xlsx table (unit × input column) and
	// creates the edition from it; a bad cell is refused naming its row
	// and column, and nothing is stored.
	ImportEdition(ctx context.Context, e *IndexEdition, fileName string, data []byte) error
	// RefreshEdition re-reads a FromIndicators edition's inputs from the
	// indicator values of its year for the current units of its cohort.
	RefreshEdition(ctx context.Context, id int64) error
	// DeriveEdition creates a FromLineage edition of the successors of
	// the source edition's units (unit lineage), for e.Year.
	DeriveEdition(ctx context.Context, sourceID int64, e *IndexEdition) error
	// EditionTable returns an edition's inputs (empty for FromLineage).
	EditionTable(ctx context.Context, id int64) (*IndexTable, error)
	// Successors maps each successor unit's row code to the codes of its
	// former units in the source edition, for a FromLineage edition.
	Successors(ctx context.Context, id int64) (map[string][]string, []IndexRow, error)

	// FindScores returns the edition's component scores.
	FindScores(ctx context.Context, editionID int64) ([]*ComponentScore, error)
	// ActOnScore performs a workflow step on a unit's component score,
	// creating it at its first self-assessment or appraisal.
	ActOnScore(ctx context.Context, editionID int64, unit, node string, action ScoreAction, value *float64, note string) (*ComponentScore, error)
	// AttachScoreEvidence stores a file for a component score.
	AttachScoreEvidence(ctx context.Context, scoreID int64, e *IndexEvidence) error
	FindScoreEvidence(ctx context.Context, id int64) (*IndexEvidence, error)
	// ScoreRights says what the signed-in user may do on the edition:
	// appraise, and the row codes it may self-assess.
	ScoreRights(ctx context.Context, editionID int64) (appraise bool, selfRows []string, err error)
}
