package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiUnit is an org unit as the API shows it.
type apiUnit struct {
	ID         int64            `json:"id"`
	Code       string           `json:"code"`
	NameVI     string           `json:"name_vi"`
	NameEN     string           `json:"name_en"`
	FullName   string           `json:"full_name"`
	Type       dxtrack.UnitType `json:"type" enum:"province,department,district,commune,ward,special_zone,other"`
	TypeNameVI string           `json:"type_name_vi"`
	TypeNameEN string           `json:"type_name_en"`
	ParentID   int64            `json:"parent_id,omitempty"`
	Parent     string           `json:"parent,omitempty" doc:"Code of the parent unit"`
	ValidFrom  string           `json:"valid_from" format:"date"`
	ValidTo    string           `json:"valid_to,omitempty" format:"date" doc:"The day the unit ended; absent while it exists"`
	Head       string           `json:"head,omitempty"`
	Email      string           `json:"email,omitempty"`
	Children   int              `json:"children" doc:"Number of current child units (lists only)"`
}

func apiUnitOf(u *dxtrack.Unit, codes *apiUnitCodes) apiUnit {
	return apiUnit{
		ID: u.ID, Code: u.Code, NameVI: u.NameVI, NameEN: u.NameEN, FullName: u.FullName, Type: u.Type,
		TypeNameVI: u.TypeNameVI, TypeNameEN: u.TypeNameEN, ParentID: u.ParentID, Parent: codes.code(u.ParentID),
		ValidFrom: apiDay(u.ValidFrom), ValidTo: apiDay(u.ValidTo), Head: u.Head, Email: u.Email, Children: u.Children,
	}
}

func (s *Server) apiUnitList(ctx context.Context, units []*dxtrack.Unit, total int) (*apiBody[apiList[apiUnit]], error) {
	codes := s.newUnitCodes(ctx)
	out := apiList[apiUnit]{Items: make([]apiUnit, 0, len(units)), Total: total}
	for _, u := range units {
		out.Items = append(out.Items, apiUnitOf(u, codes))
	}
	if codes.err != nil {
		return nil, codes.err
	}
	return apiOK(out)
}

func (s *Server) apiUnitOK(ctx context.Context, u *dxtrack.Unit) (*apiBody[apiUnit], error) {
	codes := s.newUnitCodes(ctx)
	out := apiUnitOf(u, codes)
	if codes.err != nil {
		return nil, codes.err
	}
	return apiOK(out)
}

// apiUnitChange is one dated change of a unit's field.
type apiUnitChange struct {
	On     string `json:"on" format:"date"`
	Field  string `json:"field"`
	Old    string `json:"old"`
	New    string `json:"new"`
	Source string `json:"source"`
}

// apiLineage links a former unit to its successor.
type apiLineage struct {
	FromID int64               `json:"from_id"`
	From   string              `json:"from" doc:"Code of the former unit"`
	ToID   int64               `json:"to_id"`
	To     string              `json:"to" doc:"Code of the successor"`
	Kind   dxtrack.LineageKind `json:"kind" enum:"merge,split"`
	On     string              `json:"on" format:"date"`
	Note   string              `json:"note,omitempty"`
}

// apiUnitHistory is a unit's dated changes and lineage, oldest first.
type apiUnitHistory struct {
	Changes []apiUnitChange `json:"changes"`
	Lineage []apiLineage    `json:"lineage"`
}

// apiUnitRefInput names a unit in the path by code or "id:N".
type apiUnitRefInput struct {
	Ref string `path:"ref" doc:"Unit code (\"22\", \"22-SKHCN\"), or id:N for the unit with ID N; a number that is no unit's code is taken as an ID"`
}

// apiUnitCreate is the body of unit creation.
type apiUnitCreate struct {
	Code       string `json:"code"`
	NameVI     string `json:"name_vi"`
	NameEN     string `json:"name_en"`
	FullName   string `json:"full_name"`
	Type       string `json:"type" enum:"province,department,district,commune,ward,special_zone,other"`
	TypeNameVI string `json:"type_name_vi"`
	TypeNameEN string `json:"type_name_en"`
	Parent     string `json:"parent" doc:"Code of the parent unit"`
	ValidFrom  string `json:"valid_from" doc:"YYYY-MM-DD; default today"`
	Head       string `json:"head"`
	Email      string `json:"email"`
}

// apiUnitPatch is the body of a unit change; a field left out does not
// change.
type apiUnitPatch struct {
	NameVI     *string `json:"name_vi"`
	NameEN     *string `json:"name_en"`
	FullName   *string `json:"full_name"`
	Type       *string `json:"type" enum:"province,department,district,commune,ward,special_zone,other"`
	TypeNameVI *string `json:"type_name_vi"`
	TypeNameEN *string `json:"type_name_en"`
	Parent     *string `json:"parent" doc:"Code of the new parent unit; \"\" makes the unit a root"`
	Head       *string `json:"head"`
	Email      *string `json:"email"`
	On         *string `json:"on" doc:"The day the change takes effect (YYYY-MM-DD); default today"`
}

// apiUnitMerge is the body of a merge.
type apiUnitMerge struct {
	Into string  `json:"into" doc:"Code of the successor unit"`
	On   *string `json:"on" doc:"The day the unit ends and the successor takes over (YYYY-MM-DD)"`
}

// apiUnitSplit is the body of a split.
type apiUnitSplit struct {
	Into []string `json:"into" doc:"Codes of the units split off (they must exist already)"`
	On   *string  `json:"on" doc:"The day of the split (YYYY-MM-DD)"`
	End  bool     `json:"end" doc:"Whether the old unit ends on that day"`
}

// apiReorgDay reads the required day of a merge or split: it decides
// which unit is current when, so it is never guessed.
func apiReorgDay(inp *apiInput, on *string) time.Time {
	if on == nil || strings.TrimSpace(*on) == "" {
		inp.problems.Add("on", "error.required", nil)
		return time.Time{}
	}
	return inp.date("on", on)
}

func (s *Server) apiUnits(api huma.API) {
	type listInput struct {
		Parent string `query:"parent" doc:"Only children of this unit (code, or id:N)"`
		Under  string `query:"under" doc:"Only the subtree below this unit (code, or id:N)"`
		Type   string `query:"type" doc:"Only units of these types, comma-separated (province, department, district, commune, ward, special_zone, other)"`
		Q      string `query:"q" doc:"Words in the code or names, tone- and case-insensitive: \"hoa binh\" finds \"Hòa Bình\""`
		AsOf   string `query:"as_of" doc:"Units valid on this day (YYYY-MM-DD); default today"`
		All    bool   `query:"all" doc:"Include ended units"`
		Offset int    `query:"offset" minimum:"0" doc:"Items to skip"`
		Limit  int    `query:"limit" minimum:"0" doc:"Items to return; 0 gives the default"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "list-units", Method: http.MethodGet, Path: "/units",
		Summary: "List org units",
	}, func(ctx context.Context, in *listInput) (*apiBody[apiList[apiUnit]], error) {
		f := dxtrack.UnitFilter{Query: in.Q, All: in.All, Page: apiPage(in.Offset, in.Limit)}
		inp := &apiInput{s: s, ctx: ctx}
		for _, q := range []struct {
			field, ref string
			dst        **int64
		}{{"parent", in.Parent, &f.ParentID}, {"under", in.Under, &f.Under}} {
			if q.ref == "" {
				continue
			}
			id, err := s.apiUnitQuery(ctx, q.field, q.ref)
			inp.add(err)
			*q.dst = &id
		}
		for _, t := range strings.Split(in.Type, ",") {
			if t = strings.TrimSpace(t); t == "" {
				continue
			} else if !dxtrack.UnitType(t).Valid() {
				inp.problems.Add("type", "error.unknown_value", map[string]any{"Value": t})
			}
			f.Types = append(f.Types, dxtrack.UnitType(t))
		}
		f.AsOf = inp.date("as_of", &in.AsOf)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		units, total, err := s.Units.FindUnits(ctx, f)
		if err != nil {
			return nil, err
		}
		return s.apiUnitList(ctx, units, total)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-unit", Method: http.MethodGet, Path: "/units/{ref}",
		Summary: "Read a unit by code or ID",
	}, func(ctx context.Context, in *apiUnitRefInput) (*apiBody[apiUnit], error) {
		u, err := s.apiUnitRef(ctx, in.Ref)
		if err != nil {
			return nil, err
		}
		return s.apiUnitOK(ctx, u)
	})

	type childrenInput struct {
		Ref    string `path:"ref" doc:"Unit code (\"22\", \"22-SKHCN\"), or id:N for the unit with ID N; a number that is no unit's code is taken as an ID"`
		All    bool   `query:"all" doc:"Include ended units"`
		Offset int    `query:"offset" minimum:"0" doc:"Items to skip"`
		Limit  int    `query:"limit" minimum:"0" doc:"Items to return; 0 gives the default"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "unit-children", Method: http.MethodGet, Path: "/units/{ref}/children",
		Summary: "A unit's child units",
	}, func(ctx context.Context, in *childrenInput) (*apiBody[apiList[apiUnit]], error) {
		u, err := s.apiUnitRef(ctx, in.Ref)
		if err != nil {
			return nil, err
		}
		units, total, err := s.Units.FindUnits(ctx, dxtrack.UnitFilter{ParentID: &u.ID, All: in.All, Page: apiPage(in.Offset, in.Limit)})
		if err != nil {
			return nil, err
		}
		return s.apiUnitList(ctx, units, total)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "unit-ancestors", Method: http.MethodGet, Path: "/units/{ref}/ancestors",
		Summary: "A unit's ancestors from the root down, the unit itself last",
	}, func(ctx context.Context, in *apiUnitRefInput) (*apiBody[apiList[apiUnit]], error) {
		u, err := s.apiUnitRef(ctx, in.Ref)
		if err != nil {
			return nil, err
		}
		units, err := s.Units.UnitAncestors(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		return s.apiUnitList(ctx, units, len(units))
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "unit-history", Method: http.MethodGet, Path: "/units/{ref}/history",
		Summary: "A unit's dated changes and lineage, oldest first",
	}, func(ctx context.Context, in *apiUnitRefInput) (*apiBody[apiUnitHistory], error) {
		u, err := s.apiUnitRef(ctx, in.Ref)
		if err != nil {
			return nil, err
		}
		changes, lineage, err := s.Units.UnitHistory(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		codes := s.newUnitCodes(ctx)
		out := apiUnitHistory{Changes: make([]apiUnitChange, 0, len(changes)), Lineage: make([]apiLineage, 0, len(lineage))}
		for _, c := range changes {
			out.Changes = append(out.Changes, apiUnitChange{On: apiDay(c.On), Field: c.Field, Old: c.Old, New: c.New, Source: c.Source})
		}
		for _, l := range lineage {
			out.Lineage = append(out.Lineage, apiLineage{
				FromID: l.FromID, From: codes.code(l.FromID), ToID: l.ToID, To: codes.code(l.ToID),
				Kind: l.Kind, On: apiDay(l.On), Note: l.Note,
			})
		}
		if codes.err != nil {
			return nil, codes.err
		}
		return apiOK(out)
	})

	type createInput struct {
		Body apiUnitCreate
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "create-unit", Method: http.MethodPost, Path: "/units",
		Summary: "Create a unit (admins, within their subtree)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *createInput) (*apiBody[apiUnit], error) {
		b := &in.Body
		inp := &apiInput{s: s, ctx: ctx}
		u := &dxtrack.Unit{
			Code: strings.TrimSpace(b.Code), NameVI: b.NameVI, NameEN: b.NameEN, FullName: b.FullName,
			Type: dxtrack.UnitType(b.Type), TypeNameVI: b.TypeNameVI, TypeNameEN: b.TypeNameEN,
			ParentID: inp.unit("parent", b.Parent), ValidFrom: inp.date("valid_from", &b.ValidFrom),
			Head: b.Head, Email: b.Email,
		}
		if u.ValidFrom.IsZero() {
			u.ValidFrom = dxtrack.Day(s.Now())
		}
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Units.CreateUnit(ctx, u); err != nil {
			return nil, apiRenameFields(err, map[string]string{"parent_id": "parent"})
		}
		return s.apiUnitOK(ctx, u)
	})

	type updateInput struct {
		Ref  string `path:"ref" doc:"Unit code (\"22\", \"22-SKHCN\"), or id:N for the unit with ID N; a number that is no unit's code is taken as an ID"`
		Body apiUnitPatch
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "update-unit", Method: http.MethodPatch, Path: "/units/{ref}",
		Summary: "Change a unit (admins); each changed field is kept in its history",
	}, func(ctx context.Context, in *updateInput) (*apiBody[apiUnit], error) {
		u, err := s.apiUnitRef(ctx, in.Ref)
		if err != nil {
			return nil, err
		}
		b := &in.Body
		inp := &apiInput{s: s, ctx: ctx}
		upd := dxtrack.UnitUpdate{
			NameVI: b.NameVI, NameEN: b.NameEN, FullName: b.FullName, TypeNameVI: b.TypeNameVI,
			TypeNameEN: b.TypeNameEN, Head: b.Head, Email: b.Email,
		}
		if b.Type != nil {
			t := dxtrack.UnitType(*b.Type)
			upd.Type = &t
		}
		if b.Parent != nil {
			id := inp.unit("parent", *b.Parent)
			upd.ParentID = &id
		}
		on := inp.date("on", b.On)
		if on.IsZero() {
			on = dxtrack.Day(s.Now())
		}
		if err := inp.Err(); err != nil {
			return nil, err
		}
		u, err = s.Units.UpdateUnit(ctx, u.ID, upd, on)
		if err != nil {
			return nil, apiRenameFields(err, map[string]string{"parent_id": "parent"})
		}
		return s.apiUnitOK(ctx, u)
	})

	type mergeInput struct {
		Ref  string `path:"ref" doc:"Unit code (\"22\", \"22-SKHCN\"), or id:N for the unit with ID N; a number that is no unit's code is taken as an ID"`
		Body apiUnitMerge
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "merge-unit", Method: http.MethodPost, Path: "/units/{ref}/merge",
		Summary: "Merge a unit into a successor (admins over both): the unit ends on the day and the lineage is recorded; nothing is deleted",
	}, func(ctx context.Context, in *mergeInput) (*apiBody[apiUnit], error) {
		u, err := s.apiUnitRef(ctx, in.Ref)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		into := inp.unit("into", in.Body.Into)
		if strings.TrimSpace(in.Body.Into) == "" {
			inp.problems.Add("into", "error.required", nil)
		} else if into == u.ID {
			inp.problems.Add("into", "error.self_parent", nil)
		}
		on := apiReorgDay(inp, in.Body.On)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Units.MergeUnits(ctx, []int64{u.ID}, into, on); err != nil {
			return nil, err
		}
		if u, err = s.Units.FindUnitByID(ctx, u.ID); err != nil {
			return nil, err
		}
		return s.apiUnitOK(ctx, u)
	})

	type splitInput struct {
		Ref  string `path:"ref" doc:"Unit code (\"22\", \"22-SKHCN\"), or id:N for the unit with ID N; a number that is no unit's code is taken as an ID"`
		Body apiUnitSplit
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "split-unit", Method: http.MethodPost, Path: "/units/{ref}/split",
		Summary: "Record units split off a unit (admins over all of them); the old unit ends on the day if end is true; nothing is deleted",
	}, func(ctx context.Context, in *splitInput) (*apiBody[apiUnit], error) {
		u, err := s.apiUnitRef(ctx, in.Ref)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		into := inp.units("into", in.Body.Into)
		if len(in.Body.Into) == 0 {
			inp.problems.Add("into", "error.required", nil)
		} else if containsInt64(into, u.ID) {
			inp.problems.Add("into", "error.self_parent", nil)
		}
		on := apiReorgDay(inp, in.Body.On)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Units.SplitUnit(ctx, u.ID, into, on, in.Body.End); err != nil {
			return nil, err
		}
		if u, err = s.Units.FindUnitByID(ctx, u.ID); err != nil {
			return nil, err
		}
		return s.apiUnitOK(ctx, u)
	})
}
