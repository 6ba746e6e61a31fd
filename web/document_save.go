package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveDocument creates (POST /documents) or updates (POST /documents/{id})
// a document; invalid input shows the form again with the messages.
func (s *Server) saveDocument(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var id int64
	var existing *dxtrack.Document
	if r.PathValue("id") != "" {
		var err error
		if id, err = pathID(r); err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Documents.FindDocumentByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	d := &dxtrack.Document{
		ID:         id,
		Kind:       dxtrack.DocumentKind(ps.str("kind")),
		Number:     ps.str("number"),
		TitleVI:    ps.str("title_vi"),
		TitleEN:    ps.str("title_en"),
		Issuer:     ps.str("issuer"),
		IssuedOn:   ps.date("issued_on"),
		SpanFrom:   int(ps.integer("span_from")),
		SpanTo:     int(ps.integer("span_to")),
		VisionYear: int(ps.integer("vision_year")),
		ParentID:   ps.id("parent_id"),
		Summary:    ps.str("summary"),
	}
	d.OwnerUnitID = ps.unit(ctx, s, "owner_unit")
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(d.Validate())
		f.addError(p, ps.probs.Err(), nil)
		s.renderDocumentForm(w, r, http.StatusUnprocessableEntity, f, existing)
		return
	}
	var err error
	if existing == nil {
		err = s.Documents.CreateDocument(ctx, d)
	} else {
		err = s.Documents.UpdateDocument(ctx, d)
	}
	if err != nil {
		if f.addError(p, err, nil) {
			s.renderDocumentForm(w, r, http.StatusUnprocessableEntity, f, existing)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/documents/"+strconv.FormatInt(d.ID, 10), http.StatusSeeOther)
}
