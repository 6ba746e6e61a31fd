package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// itemPages is what the report and override actions need of the target
// or task pages.
type itemPages struct {
	base   string // URL prefix of an item's page, e.g. "/targets/"
	render func(w http.ResponseWriter, r *http.Request, status int, id int64, report, override *form)
}

func (s *Server) targetPages() itemPages { return itemPages{base: "/targets/", render: s.renderTarget} }

func (s *Server) taskPages() itemPages { return itemPages{base: "/tasks/", render: s.renderTask} }

// overrideItem sets an item's status by hand with a reason, or clears the
// override (clear=1); a refused form is shown again on the item's page.
func (s *Server) overrideItem(w http.ResponseWriter, r *http.Request, pg itemPages,
	set func(ctx context.Context, id int64, o *dxtrack.Override) error) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	o := overrideOf(r)
	if err := set(ctx, id, o); err != nil {
		f := newForm(r.PostForm)
		if f.addError(p, err, nil) {
			pg.render(w, r, http.StatusUnprocessableEntity, id, nil, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	if o == nil {
		s.flash(r, "flash.override_cleared")
	} else {
		s.flash(r, "flash.override_set")
	}
	http.Redirect(w, r, pg.base+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// reportItem records the lead unit's report on an item. read turns the
// form into an update (adding problems to ps) and returns the call that
// saves it; a refused form is shown again on the item's page.
func reportItem[T any](s *Server, w http.ResponseWriter, r *http.Request, pg itemPages,
	find func(ctx context.Context, id int64) (T, error),
	read func(ps *parser, t T) (save func(ctx context.Context, id int64) error)) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := find(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	save := read(ps, t)
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		f.addError(p, ps.probs.Err(), nil)
		pg.render(w, r, http.StatusUnprocessableEntity, id, f, nil)
		return
	}
	if err := save(ctx, id); err != nil {
		if f.addError(p, err, nil) {
			pg.render(w, r, http.StatusUnprocessableEntity, id, f, nil)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.reported")
	http.Redirect(w, r, pg.base+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

// itemRights says what the user may do on an item led by unit lead.
func (s *Server) itemRights(ctx context.Context, lead int64) (admin, report, override bool, err error) {
	path, err := s.unitPath(ctx, lead)
	if err != nil {
		return false, false, false, err
	}
	u := dxtrack.UserFromContext(ctx)
	return u.CanAdmin(path), u.CanReport(path), u.CanOverride(path), nil
}

// overrideForm is the override form showing the item's current override.
func overrideForm(o *dxtrack.Override) *form {
	v := url.Values{}
	if o != nil {
		v.Set("override_status", string(o.Status))
	}
	return newForm(v)
}

// finishSave ends the target and task form posts: it checks the item's
// document, then saves it (create or update). Invalid input shows the
// form again with every message; success goes to the item's page.
func (s *Server) finishSave(w http.ResponseWriter, r *http.Request, ps *parser, documentID int64,
	validate func(doc *dxtrack.Document) error, save func(ctx context.Context) error,
	render func(status int, f *form), page func() string) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var doc *dxtrack.Document
	if documentID == 0 {
		ps.probs.Add("document", "error.required", nil)
	} else {
		d, err := s.Documents.FindDocumentByID(ctx, documentID)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			ps.probs.Add("document", "error.unknown_document", nil)
		} else {
			ps.keep(err)
		}
		doc = d
	}
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	f := newForm(r.PostForm)
	if len(ps.probs) > 0 {
		ps.merge(validate(doc))
		f.addError(p, ps.probs.Err(), nil)
		render(http.StatusUnprocessableEntity, f)
		return
	}
	if err := save(ctx); err != nil {
		if f.addError(p, err, nil) {
			render(http.StatusUnprocessableEntity, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, page(), http.StatusSeeOther)
}
