package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiCategoryInput is the body of category creation and update. On update
// a field left out keeps its value.
type apiCategoryInput struct {
	Kind   *string `json:"kind" enum:"pillar,foundation,sector"`
	Code   *string `json:"code"`
	NameVI *string `json:"name_vi"`
	NameEN *string `json:"name_en"`
	Sort   *int    `json:"sort"`
}

func (b *apiCategoryInput) apply(c *dxtrack.Category) {
	apiSet(&c.Code, b.Code)
	apiSet(&c.NameVI, b.NameVI)
	apiSet(&c.NameEN, b.NameEN)
	apiSet(&c.Sort, b.Sort)
	if b.Kind != nil {
		c.Kind = dxtrack.CategoryKind(*b.Kind)
	}
}

func (s *Server) apiCategories(api huma.API) {
	type listInput struct {
		Kind string `query:"kind" enum:"pillar,foundation,sector" doc:"Only categories of this kind"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "list-categories", Method: http.MethodGet, Path: "/categories",
		Summary: "List pillars, foundations and priority sectors, in order",
	}, func(ctx context.Context, in *listInput) (*apiBody[apiList[*dxtrack.Category]], error) {
		cs, err := s.Categories.FindCategories(ctx, dxtrack.CategoryKind(in.Kind))
		if err != nil {
			return nil, err
		}
		if cs == nil {
			cs = []*dxtrack.Category{}
		}
		return apiOK(apiList[*dxtrack.Category]{Items: cs, Total: len(cs)})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-category", Method: http.MethodGet, Path: "/categories/{id}",
		Summary: "Read a category",
	}, func(ctx context.Context, in *apiID) (*apiBody[*dxtrack.Category], error) {
		c, err := s.Categories.FindCategoryByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return apiOK(c)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "create-category", Method: http.MethodPost, Path: "/categories",
		Summary: "Create a category (admins)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ Body apiCategoryInput }) (*apiBody[*dxtrack.Category], error) {
		c := &dxtrack.Category{}
		in.Body.apply(c)
		if err := s.Categories.CreateCategory(ctx, c); err != nil {
			return nil, err
		}
		return apiOK(c)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "update-category", Method: http.MethodPut, Path: "/categories/{id}",
		Summary: "Update a category (admins); fields left out keep their value",
	}, func(ctx context.Context, in *apiIDBody[apiCategoryInput]) (*apiBody[*dxtrack.Category], error) {
		c, err := s.Categories.FindCategoryByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		in.Body.apply(c)
		if err := s.Categories.UpdateCategory(ctx, c); err != nil {
			return nil, err
		}
		return apiOK(c)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "delete-category", Method: http.MethodDelete, Path: "/categories/{id}",
		Summary: "Delete a category no target or task uses (admins)", DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *apiID) (*struct{}, error) {
		return nil, s.Categories.DeleteCategory(ctx, in.ID)
	})
}
