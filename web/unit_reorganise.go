package web

import (
	"net/http"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// A merge or split is recorded, never destructive: the old unit ends on
// the day (for a split, if asked), its targets, tasks and users stay, and
// the lineage links the units both ways on their pages.

// unitReorgPage is the data of the merge and split forms.
type unitReorgPage struct {
	U    *dxtrack.Unit
	Form *form
}

// showMergeUnit shows the form that merges a unit into a successor.
func (s *Server) showMergeUnit(w http.ResponseWriter, r *http.Request) {
	s.showUnitReorg(w, r, "unit_merge")
}

// showSplitUnit shows the form that records units split off a unit.
func (s *Server) showSplitUnit(w http.ResponseWriter, r *http.Request) {
	s.showUnitReorg(w, r, "unit_split")
}

func (s *Server) showUnitReorg(w http.ResponseWriter, r *http.Request, page string) {
	if !s.adminOnly(w, r) {
		return
	}
	u, ok := s.reorgUnit(w, r)
	if !ok {
		return
	}
	f := newForm(nil)
	if page == "unit_split" {
		f.Values.Set("end", "1") // a split usually replaces the old unit
	}
	s.renderUnitReorg(w, r, http.StatusOK, page, u, f)
}

// reorgUnit loads the unit of the path and refuses anyone but an admin
// over it.
func (s *Server) reorgUnit(w http.ResponseWriter, r *http.Request) (*dxtrack.Unit, bool) {
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	u, err := s.Units.FindUnitByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	path, err := s.unitPath(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return nil, false
	}
	if !dxtrack.UserFromContext(ctx).CanAdmin(path) {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EFORBIDDEN, "error.forbidden", nil))
		return nil, false
	}
	return u, true
}

func (s *Server) renderUnitReorg(w http.ResponseWriter, r *http.Request, status int, page string, u *dxtrack.Unit, f *form) {
	p := locale.For(langFrom(r.Context()))
	s.render(w, r, status, page, p.T("page."+page+".title", map[string]any{"Name": u.Name(p.Lang())}), unitReorgPage{U: u, Form: f})
}

// mergeUnit ends the unit on the day and records it as merged into the
// successor given by its code.
func (s *Server) mergeUnit(w http.ResponseWriter, r *http.Request) {
	s.saveUnitReorg(w, r, "unit_merge")
}

// splitUnit records the units given by their codes as split off the unit
// on the day, and ends it if asked.
func (s *Server) splitUnit(w http.ResponseWriter, r *http.Request) {
	s.saveUnitReorg(w, r, "unit_split")
}

func (s *Server) saveUnitReorg(w http.ResponseWriter, r *http.Request, page string) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	u, ok := s.reorgUnit(w, r)
	if !ok {
		return
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	f := newForm(r.PostForm)
	var into []int64
	if page == "unit_merge" {
		if id := ps.unit(ctx, s, "into"); id != 0 {
			into = append(into, id)
		}
	} else {
		into = ps.units(ctx, s, "into")
	}
	if ps.err != nil {
		s.fail(w, r, ps.err)
		return
	}
	if ps.str("into") == "" {
		ps.probs.Add("into", "error.required", nil)
	}
	if containsInt64(into, u.ID) {
		ps.probs.Add("into", "error.self_parent", nil)
	}
	on := ps.date("on")
	if on.IsZero() && ps.str("on") == "" {
		// The day decides which unit is current when: never guess it.
		ps.probs.Add("on", "error.required", nil)
	}
	if len(ps.probs) > 0 {
		f.addError(p, ps.probs.Err(), nil)
		s.renderUnitReorg(w, r, http.StatusUnprocessableEntity, page, u, f)
		return
	}
	var err error
	if page == "unit_merge" {
		err = s.Units.MergeUnits(ctx, []int64{u.ID}, into[0], on)
	} else {
		err = s.Units.SplitUnit(ctx, u.ID, into, on, ps.bool("end"))
	}
	if dxtrack.ErrorCode(err) == dxtrack.EFORBIDDEN {
		// The unit itself was checked above: the refusal is about a
		// successor outside the admin's scope, so say so beside it.
		f.addError(p, dxtrack.Invalid("into", "error.out_of_scope", nil), nil)
		s.renderUnitReorg(w, r, http.StatusForbidden, page, u, f)
		return
	}
	if err != nil {
		if f.addError(p, err, nil) {
			s.renderUnitReorg(w, r, http.StatusUnprocessableEntity, page, u, f)
			return
		}
		s.fail(w, r, err)
		return
	}
	if page == "unit_merge" {
		s.flash(r, "flash.unit_merged")
	} else {
		s.flash(r, "flash.unit_split")
	}
	http.Redirect(w, r, "/units/"+strconv.FormatInt(u.ID, 10), http.StatusSeeOther)
}
