package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// categoryListPage is the data of the categories page: the lists by kind
// and, for admins, the form that adds an entry.
type categoryListPage struct {
	Groups  []categoryGroup
	Form    *form
	Kinds   []dxtrack.CategoryKind
	CanEdit bool
}

type categoryGroup struct {
	Kind dxtrack.CategoryKind
	List []*dxtrack.Category
}

var categoryKinds = []dxtrack.CategoryKind{dxtrack.CategoryPillar, dxtrack.CategoryFoundation, dxtrack.CategorySector}

// listCategories shows the pillars, foundations and priority sectors.
func (s *Server) listCategories(w http.ResponseWriter, r *http.Request) {
	v := url.Values{}
	v.Set("kind", string(dxtrack.CategoryPillar))
	s.renderCategories(w, r, http.StatusOK, newForm(v))
}

func (s *Server) renderCategories(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	all, err := s.Categories.FindCategories(ctx, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := categoryListPage{Form: f, Kinds: categoryKinds, CanEdit: dxtrack.UserFromContext(ctx).Role == dxtrack.RoleAdmin}
	for _, k := range categoryKinds {
		g := categoryGroup{Kind: k}
		for _, c := range all {
			if c.Kind == k {
				g.List = append(g.List, c)
			}
		}
		data.Groups = append(data.Groups, g)
	}
	s.render(w, r, status, "category_list", p.T("page.categories.title", nil), data)
}

// editCategory shows the form of one entry.
func (s *Server) editCategory(w http.ResponseWriter, r *http.Request) {
	if !s.adminOnly(w, r) {
		return
	}
	ctx := r.Context()
	id, err := pathID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c, err := s.Categories.FindCategoryByID(ctx, id)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	v := url.Values{}
	v.Set("kind", string(c.Kind))
	v.Set("code", c.Code)
	v.Set("name_vi", c.NameVI)
	v.Set("name_en", c.NameEN)
	v.Set("sort", strconv.Itoa(c.Sort))
	s.renderCategoryForm(w, r, http.StatusOK, newForm(v), c)
}

// categoryFormPage is the data of the category edit form.
type categoryFormPage struct {
	Form  *form
	C     *dxtrack.Category
	Kinds []dxtrack.CategoryKind
}

func (s *Server) renderCategoryForm(w http.ResponseWriter, r *http.Request, status int, f *form, c *dxtrack.Category) {
	p := locale.For(langFrom(r.Context()))
	s.render(w, r, status, "category_form", p.T("page.category_edit.title", map[string]any{"Name": c.Name(p.Lang())}),
		categoryFormPage{Form: f, C: c, Kinds: categoryKinds})
}
