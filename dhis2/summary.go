package dhis2

import (
	"maps"
	"strings"
)

// Import strategies DHIS2 knows; dxtrack follows all but DELETE, which
// it refuses value by value (values leave the store only through their
// audited corrections).
const (
	CreateAndUpdate = "CREATE_AND_UPDATE"
	Create          = "CREATE"
	Update          = "UPDATE"
	Delete          = "DELETE"
)

// Options are the query parameters of an import dxtrack follows.
type Options struct {
	DryRun         bool
	ImportStrategy string // CreateAndUpdate when empty
}

// Strategy returns the import strategy, CreateAndUpdate by default.
func (o Options) Strategy() string {
	if s := strings.ToUpper(strings.TrimSpace(o.ImportStrategy)); s != "" {
		return s
	}
	return CreateAndUpdate
}

// Error codes of DHIS2's data value import, as DHIS2 numbers them.
const (
	ErrDataElement   = "E7610" // data element not found or not accessible
	ErrPeriod        = "E7611" // period not valid
	ErrOrgUnit       = "E7612" // organisation unit not found or not accessible
	ErrCombo         = "E7613" // category option combo not found or not accessible
	ErrAttribute     = "E7615" // attribute option combo not found or not accessible
	ErrHierarchy     = "E7617" // organisation unit not in the hierarchy of the current user
	ErrNoValue       = "E7618" // data value not specified
	ErrValueType     = "E7619" // value does not match the data element's type
	ErrNotAccessible = "E7620" // the value cannot be written (dxtrack: a unit's correction, or deletion)
)

// ImportCount counts the values of an import.
type ImportCount struct {
	Imported int `json:"imported"`
	Updated  int `json:"updated"`
	Ignored  int `json:"ignored"`
	Deleted  int `json:"deleted"`
}

// Conflict is a value that could not be imported, with the places (from
// 0) of the values it concerns.
type Conflict struct {
	Object    string            `json:"object"`
	Objects   map[string]string `json:"objects,omitempty"`
	Value     string            `json:"value"`
	ErrorCode string            `json:"errorCode"`
	Property  string            `json:"property,omitempty"`
	Indexes   []int             `json:"indexes"`
	// MsgID and Args say what is wrong in the catalogue's terms; Describe
	// turns them into Value in the reader's language.
	MsgID string         `json:"-"`
	Args  map[string]any `json:"-"`
}

// ImportOptions echoes the options of an import, as DHIS2 does.
type ImportOptions struct {
	IDSchemes      map[string]string `json:"idSchemes"`
	DryRun         bool              `json:"dryRun"`
	Async          bool              `json:"async"`
	ImportStrategy string            `json:"importStrategy"`
	MergeMode      string            `json:"mergeMode"`
	ReportMode     string            `json:"reportMode"`
}

// ImportSummary is the result of an import, in DHIS2's shape.
type ImportSummary struct {
	ResponseType    string        `json:"responseType"`
	Status          string        `json:"status"` // SUCCESS, WARNING or ERROR
	ImportOptions   ImportOptions `json:"importOptions"`
	Description     string        `json:"description"`
	ImportCount     ImportCount   `json:"importCount"`
	Conflicts       []Conflict    `json:"conflicts"`
	DataSetComplete string        `json:"dataSetComplete"`
}

// NewSummary starts the summary of an import with these options.
func NewSummary(o Options) *ImportSummary {
	return &ImportSummary{ResponseType: "ImportSummary", Status: "SUCCESS", DataSetComplete: "false",
		Conflicts: []Conflict{},
		ImportOptions: ImportOptions{IDSchemes: map[string]string{}, DryRun: o.DryRun, ImportStrategy: o.Strategy(),
			MergeMode: "REPLACE", ReportMode: "FULL"}}
}

// Conflict records that the value at index i was refused: object is the
// identifier at fault, property its field ("dataElement", "period", …),
// msgID and args what is wrong. Conflicts that are the same but for the
// value they concern share one entry, listing every index, as DHIS2's do.
// A refused value counts as ignored.
func (s *ImportSummary) Conflict(i int, code, property, object, msgID string, args map[string]any) {
	s.ImportCount.Ignored++
	for k := range s.Conflicts {
		c := &s.Conflicts[k]
		if c.ErrorCode == code && c.Object == object && c.MsgID == msgID && c.Property == property {
			c.Indexes = append(c.Indexes, i)
			return
		}
	}
	c := Conflict{Object: object, ErrorCode: code, Property: property, Indexes: []int{i}, MsgID: msgID, Args: args}
	if property != "" {
		c.Objects = map[string]string{property: object}
	}
	s.Conflicts = append(s.Conflicts, c)
}

// Finish sets the status once every value is counted: SUCCESS without
// conflicts, WARNING with conflicts beside values that went in (or were
// in already), ERROR when every value was refused.
func (s *ImportSummary) Finish() {
	c := s.ImportCount
	switch {
	case len(s.Conflicts) == 0:
		s.Status = "SUCCESS"
	case c.Imported+c.Updated+c.Deleted > 0 || c.Ignored > s.refused():
		s.Status = "WARNING"
	default:
		s.Status = "ERROR"
	}
}

// Describe writes the description and the conflicts' messages in the
// reader's language: t renders a message ID with its arguments.
// Descriptions are "dhis2.summary_success", "_warning" and "_error",
// with "dhis2.summary_dry_run" added for a dry run.
func (s *ImportSummary) Describe(t func(id string, args map[string]any) string) {
	s.Description = t("dhis2.summary_"+strings.ToLower(s.Status), nil)
	if s.ImportOptions.DryRun {
		s.Description += " " + t("dhis2.summary_dry_run", nil)
	}
	for k := range s.Conflicts {
		c := &s.Conflicts[k]
		// A message names the field at fault: the DHIS2 property.
		args := map[string]any{"Field": c.Property}
		maps.Copy(args, c.Args)
		c.Value = t(c.MsgID, args)
	}
}

// refused counts the values named by conflicts.
func (s *ImportSummary) refused() int {
	seen := map[int]bool{}
	for _, c := range s.Conflicts {
		for _, i := range c.Indexes {
			seen[i] = true
		}
	}
	return len(seen)
}

// WebMessage is the envelope DHIS2 (2.38 and later) answers an import
// with.
type WebMessage struct {
	HTTPStatus     string         `json:"httpStatus"`
	HTTPStatusCode int            `json:"httpStatusCode"`
	Status         string         `json:"status"` // OK, WARNING or ERROR
	Message        string         `json:"message"`
	Response       *ImportSummary `json:"response,omitempty"`
}

// Message wraps a finished summary: 200 OK without conflicts, 409
// Conflict with them, as DHIS2 does.
func Message(s *ImportSummary) *WebMessage {
	m := &WebMessage{HTTPStatus: "OK", HTTPStatusCode: 200, Status: "OK", Message: "Import was successful.", Response: s}
	if len(s.Conflicts) > 0 {
		m.HTTPStatus, m.HTTPStatusCode, m.Message = "Conflict", 409, "An error occurred, please check import summary."
		m.Status = s.Status // WARNING or ERROR
	}
	return m
}
