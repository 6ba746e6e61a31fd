package dxtrack

import (
	"context"
	"time"
)

// DocumentKind is the kind of a programme document.
type DocumentKind string

// Document kinds.
const (
	DocResolution DocumentKind = "resolution" // nghị quyết
	DocPlan       DocumentKind = "plan"       // kế hoạch
	DocDecision   DocumentKind = "decision"   // quyết định
	DocScheme     DocumentKind = "scheme"     // đề án
)

// DocumentKinds lists the kinds in display order.
var DocumentKinds = []DocumentKind{DocResolution, DocPlan, DocDecision, DocScheme}

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool {
	for _, v := range DocumentKinds {
		if k == v {
			return true
		}
	}
	return false
}

// Document is a programme document: a resolution, a plan, a decision or a
// project scheme, with the targets and tasks it sets. A yearly plan has the
// multi-year resolution it carries out as its parent.
type Document struct {
	ID          int64        `json:"id"`
	Kind        DocumentKind `json:"kind"`
	Number      string       `json:"number"` // "09-NQ/TU"
	TitleVI     string       `json:"title_vi"`
	TitleEN     string       `json:"title_en"`
	Issuer      string       `json:"issuer"` // "Tỉnh ủy Quảng Ninh"
	IssuedOn    time.Time    `json:"issued_on"`
	SpanFrom    int          `json:"span_from"`             // first year covered
	SpanTo      int          `json:"span_to"`               // last year covered
	VisionYear  int          `json:"vision_year,omitempty"` // "tầm nhìn đến 2030"
	ParentID    int64        `json:"parent_id,omitempty"`
	OwnerUnitID int64        `json:"owner_unit_id"` // the province or unit it binds
	Summary     string       `json:"summary,omitempty"`
	UpdatedAt   time.Time    `json:"updated_at"`
}

// Title returns the title in the language, falling back to Vietnamese.
func (d *Document) Title(lang string) string {
	if lang == "en" && d.TitleEN != "" {
		return d.TitleEN
	}
	return d.TitleVI
}

// Validate checks the document's own fields.
func (d *Document) Validate() error {
	var p Problems
	if !d.Kind.Valid() {
		p.Add("kind", "error.unknown_value", map[string]any{"Value": string(d.Kind)})
	}
	if d.Number == "" {
		p.Add("number", "error.required", nil)
	}
	if d.TitleVI == "" {
		p.Add("title_vi", "error.required", nil)
	}
	if d.IssuedOn.IsZero() {
		p.Add("issued_on", "error.required", nil)
	}
	switch {
	case d.SpanFrom < 1945 || d.SpanFrom > 2100:
		p.Add("span_from", "error.year", nil)
	case d.SpanTo < d.SpanFrom || d.SpanTo > 2100:
		p.Add("span_to", "error.span", map[string]any{"From": d.SpanFrom})
	}
	if d.VisionYear != 0 && d.VisionYear < d.SpanTo {
		p.Add("vision_year", "error.vision", map[string]any{"To": d.SpanTo})
	}
	if d.ID != 0 && d.ParentID == d.ID {
		p.Add("parent_id", "error.self_parent", nil)
	}
	if d.OwnerUnitID == 0 {
		p.Add("owner_unit_id", "error.required", nil)
	}
	return p.Err()
}

// DocumentFilter selects documents.
type DocumentFilter struct {
	Kind     DocumentKind
	ParentID *int64
	Query    string
	Page
}

// DocumentService manages programme documents. Reading needs a signed-in
// user; writing needs an admin whose subtree holds the owner unit.
type DocumentService interface {
	FindDocumentByID(ctx context.Context, id int64) (*Document, error)
	FindDocuments(ctx context.Context, f DocumentFilter) ([]*Document, int, error)
	CreateDocument(ctx context.Context, d *Document) error
	// UpdateDocument replaces the editable fields of document d.ID.
	UpdateDocument(ctx context.Context, d *Document) error
	// DeleteDocument refuses (ECONFLICT) while the document has targets,
	// tasks or child documents.
	DeleteDocument(ctx context.Context, id int64) error
}
