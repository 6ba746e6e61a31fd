package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// saveCategory adds (POST /categories) or changes (POST /categories/{id})
// an entry of the lists.
func (s *Server) saveCategory(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	var existing *dxtrack.Category
	if r.PathValue("id") != "" {
		id, err := pathID(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if existing, err = s.Categories.FindCategoryByID(ctx, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	c := &dxtrack.Category{
		Kind:   dxtrack.CategoryKind(ps.str("kind")),
		Code:   ps.code("code"),
		NameVI: ps.str("name_vi"),
		NameEN: ps.str("name_en"),
		Sort:   int(ps.integer("sort")),
	}
	f := newForm(r.PostForm)
	rerender := func() {
		if existing == nil {
			s.renderCategories(w, r, http.StatusUnprocessableEntity, f)
		} else {
			s.renderCategoryForm(w, r, http.StatusUnprocessableEntity, f, existing)
		}
	}
	if len(ps.probs) > 0 {
		ps.merge(c.Validate())
		f.addError(p, ps.probs.Err(), nil)
		rerender()
		return
	}
	var err error
	if existing == nil {
		err = s.Categories.CreateCategory(ctx, c)
	} else {
		c.ID = existing.ID
		err = s.Categories.UpdateCategory(ctx, c)
	}
	if err != nil {
		if f.addError(p, err, nil) {
			rerender()
			return
		}
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.saved")
	http.Redirect(w, r, "/categories", http.StatusSeeOther)
}

// deleteCategory removes an entry that no target or task uses.
func (s *Server) deleteCategory(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.Categories.DeleteCategory(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "flash.deleted")
	http.Redirect(w, r, "/categories", http.StatusSeeOther)
}
