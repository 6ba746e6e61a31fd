package web

import (
	"context"
	"net/http"
	"strings"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/dhis2"
	"github.com/dxtrack/dxtrack/locale"
)

// dhis2Page is the data of the DHIS2 page: how to push, and the code
// tables with, for admins, the forms that add a row.
type dhis2Page struct {
	Endpoint   string
	Elements   []dhis2ElementRow
	OrgUnits   []dhis2.OrgUnitMap
	Indicators []*dxtrack.Indicator // those a data element may map to
	Element    *form
	OrgUnit    *form
	CanAdmin   bool
}

// dhis2ElementRow is a row of the data element table with its indicator.
type dhis2ElementRow struct {
	dhis2.ElementMap
	Name string
}

// showDHIS2 shows the DHIS2 page.
func (s *Server) showDHIS2(w http.ResponseWriter, r *http.Request) {
	s.renderDHIS2(w, r, http.StatusOK, newForm(nil), newForm(nil))
}

func (s *Server) renderDHIS2(w http.ResponseWriter, r *http.Request, status int, element, orgUnit *form) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if s.DHIS2 == nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.ENOTFOUND, "error.not_found", nil))
		return
	}
	elements, err := s.DHIS2.ElementMaps(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	orgUnits, err := s.DHIS2.OrgUnitMaps(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	all, err := s.Indicators.FindIndicators(ctx, "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u := dxtrack.UserFromContext(ctx)
	scheme := "https"
	if r.TLS == nil && !strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "http"
	}
	data := dhis2Page{Endpoint: scheme + "://" + r.Host + apiPrefix + "/dataValueSets", OrgUnits: orgUnits,
		Element: element, OrgUnit: orgUnit, CanAdmin: u.Role == dxtrack.RoleAdmin && !u.Disabled}
	names := map[int64]string{}
	for _, in := range all {
		names[in.ID] = in.Name(p.Lang())
		if in.Source != dxtrack.SourceFormula {
			data.Indicators = append(data.Indicators, in)
		}
	}
	for _, m := range elements {
		data.Elements = append(data.Elements, dhis2ElementRow{ElementMap: m, Name: names[m.IndicatorID]})
	}
	s.render(w, r, status, "dhis2_codes", p.T("dhis2.title", nil), data)
}

// saveDHIS2Element adds a row to the data element table (POST
// /dhis2/elements).
func (s *Server) saveDHIS2Element(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	m := &dhis2.ElementMap{DataElement: ps.str("dhis2_element"), Combo: ps.str("dhis2_combo")}
	f := newForm(r.PostForm)
	if code := ps.str("indicator"); code != "" {
		in, err := s.Indicators.FindIndicatorByCode(ctx, code)
		if dxtrack.ErrorCode(err) == dxtrack.ENOTFOUND {
			ps.probs.Add("indicator", "error.no_indicator", map[string]any{"Code": code})
		} else if err != nil {
			s.fail(w, r, err)
			return
		} else {
			m.IndicatorID = in.ID
		}
	}
	err := ps.probs.Err()
	if err == nil {
		err = s.DHIS2.SaveElementMap(ctx, m)
	} else {
		ps.merge(m.Validate())
		err = ps.probs.Err()
	}
	if err != nil {
		if !f.addError(p, err, nil) {
			s.fail(w, r, err)
			return
		}
		s.renderDHIS2(w, r, http.StatusUnprocessableEntity, f, newForm(nil))
		return
	}
	s.flash(r, "dhis2.flash_saved")
	http.Redirect(w, r, "/dhis2#elements", http.StatusSeeOther)
}

// saveDHIS2OrgUnit adds a row to the organisation unit table (POST
// /dhis2/org-units).
func (s *Server) saveDHIS2OrgUnit(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, dxtrack.Errorf(dxtrack.EINVALID, "error.invalid", nil))
		return
	}
	ps := newParser(r)
	m := &dhis2.OrgUnitMap{OrgUnit: ps.str("dhis2_org_unit")}
	f := newForm(r.PostForm)
	unitID, err := s.unitIDByCode(ctx, "unit", ps.str("unit"))
	if err != nil && dxtrack.ErrorCode(err) != dxtrack.EINVALID {
		s.fail(w, r, err)
		return
	}
	ps.merge(err)
	m.UnitID = unitID
	if err = ps.probs.Err(); err == nil {
		err = s.DHIS2.SaveOrgUnitMap(ctx, m)
	} else {
		ps.merge(m.Validate())
		err = ps.probs.Err()
	}
	if err != nil {
		if !f.addError(p, err, nil) {
			s.fail(w, r, err)
			return
		}
		s.renderDHIS2(w, r, http.StatusUnprocessableEntity, newForm(nil), f)
		return
	}
	s.flash(r, "dhis2.flash_saved")
	http.Redirect(w, r, "/dhis2#org-units", http.StatusSeeOther)
}

// deleteDHIS2Element and deleteDHIS2OrgUnit remove a row of a code table.
func (s *Server) deleteDHIS2Element(w http.ResponseWriter, r *http.Request) {
	s.deleteDHIS2Row(w, r, s.DHIS2.DeleteElementMap, "#elements")
}

func (s *Server) deleteDHIS2OrgUnit(w http.ResponseWriter, r *http.Request) {
	s.deleteDHIS2Row(w, r, s.DHIS2.DeleteOrgUnitMap, "#org-units")
}

func (s *Server) deleteDHIS2Row(w http.ResponseWriter, r *http.Request, del func(context.Context, int64) error, anchor string) {
	id, err := pathID(r)
	if err == nil {
		err = del(r.Context(), id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.flash(r, "dhis2.flash_deleted")
	http.Redirect(w, r, "/dhis2"+anchor, http.StatusSeeOther)
}
