package web

import (
	"context"
	"net/http"
	"strings"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"github.com/dxtrack/dxtrack"
)

// apiUser is an account as the API shows it; the password never leaves.
type apiUser struct {
	ID        int64        `json:"id"`
	Username  string       `json:"username"`
	Name      string       `json:"name"`
	Email     string       `json:"email,omitempty"`
	Role      dxtrack.Role `json:"role" enum:"admin,leader,reviewer,reporter"`
	UnitID    int64        `json:"unit_id"`
	Unit      string       `json:"unit" doc:"Code of the unit at the root of the user's scope"`
	Lang      string       `json:"lang" enum:"vi,en"`
	Disabled  bool         `json:"disabled"`
	CreatedAt time.Time    `json:"created_at"`
}

func (s *Server) apiUserOK(ctx context.Context, u *dxtrack.User) (*apiBody[apiUser], error) {
	codes := s.newUnitCodes(ctx)
	out := apiUserOf(u, codes)
	if codes.err != nil {
		return nil, codes.err
	}
	return apiOK(out)
}

func apiUserOf(u *dxtrack.User, codes *apiUnitCodes) apiUser {
	return apiUser{
		ID: u.ID, Username: u.Username, Name: u.Name, Email: u.Email, Role: u.Role,
		UnitID: u.UnitID, Unit: codes.code(u.UnitID), Lang: u.Lang, Disabled: u.Disabled, CreatedAt: u.CreatedAt,
	}
}

// apiUserInput is the body of user creation and update. On update a field
// left out keeps its value, and a password left out is not changed.
type apiUserInput struct {
	Username *string `json:"username"`
	Name     *string `json:"name"`
	Email    *string `json:"email"`
	Role     *string `json:"role" enum:"admin,leader,reviewer,reporter"`
	Unit     *string `json:"unit" doc:"Code of the unit at the root of the user's scope"`
	Lang     *string `json:"lang" enum:"vi,en"`
	Disabled *bool   `json:"disabled"`
	Password *string `json:"password" writeOnly:"true" doc:"At least 8 characters"`
}

func (b *apiUserInput) apply(in *apiInput, u *dxtrack.User) (password string) {
	apiSet(&u.Username, b.Username)
	apiSet(&u.Name, b.Name)
	apiSet(&u.Email, b.Email)
	apiSet(&u.Lang, b.Lang)
	apiSet(&u.Disabled, b.Disabled)
	if b.Role != nil {
		u.Role = dxtrack.Role(*b.Role)
	}
	if b.Unit != nil {
		u.UnitID = in.unit("unit", *b.Unit)
	}
	if b.Password != nil {
		password = *b.Password
	}
	return password
}

// apiMeInput is what users may change of their own account.
type apiMeInput struct {
	Name     *string `json:"name"`
	Lang     *string `json:"lang" enum:"vi,en"`
	Password *string `json:"password" writeOnly:"true" doc:"At least 8 characters"`
}

// apiTokenInput names a new API token.
type apiTokenInput struct {
	Name string `json:"name" doc:"What the token is for, e.g. the system that uses it"`
}

// apiToken is a new API token, shown once.
type apiToken struct {
	Name  string `json:"name"`
	Token string `json:"token" doc:"Send as Authorization: Bearer TOKEN; shown only this once"`
}

// apiTokenInfo describes an API token without its secret.
type apiTokenInfo struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	LastUsed  time.Time `json:"last_used,omitzero" doc:"When the token last authenticated a request, to the minute; absent if never"`
}

// apiMe returns the signed-in user, or EUNAUTHORIZED.
func apiMe(ctx context.Context) (*dxtrack.User, error) {
	u := dxtrack.UserFromContext(ctx)
	if u == nil {
		return nil, dxtrack.Errorf(dxtrack.EUNAUTHORIZED, "error.unauthorized", nil)
	}
	return u, nil
}

func (s *Server) apiUsers(api huma.API) {
	type listInput struct {
		Unit   string `query:"unit" doc:"Only users scoped at or below this unit (code, or id:N)"`
		Role   string `query:"role" enum:"admin,leader,reviewer,reporter" doc:"Only users with this role"`
		Q      string `query:"q" doc:"Words in the username or name"`
		Offset int    `query:"offset" minimum:"0" doc:"Items to skip"`
		Limit  int    `query:"limit" minimum:"0" doc:"Items to return; 0 gives the default"`
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "list-users", Method: http.MethodGet, Path: "/users",
		Summary: "List users (admins, over their subtree)",
	}, func(ctx context.Context, in *listInput) (*apiBody[apiList[apiUser]], error) {
		unit, err := s.apiUnitQuery(ctx, "unit", in.Unit)
		if err != nil {
			return nil, err
		}
		users, total, err := s.Users.FindUsers(ctx, dxtrack.UserFilter{UnitID: unit, Role: dxtrack.Role(in.Role), Query: in.Q, Page: apiPage(in.Offset, in.Limit)})
		if err != nil {
			return nil, err
		}
		codes := s.newUnitCodes(ctx)
		out := apiList[apiUser]{Items: make([]apiUser, 0, len(users)), Total: total}
		for _, u := range users {
			out.Items = append(out.Items, apiUserOf(u, codes))
		}
		if codes.err != nil {
			return nil, codes.err
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-user", Method: http.MethodGet, Path: "/users/{id}",
		Summary: "Read a user (admins, or the user)",
	}, func(ctx context.Context, in *apiID) (*apiBody[apiUser], error) {
		u, err := s.Users.FindUserByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		return s.apiUserOK(ctx, u)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "create-user", Method: http.MethodPost, Path: "/users",
		Summary: "Create a user (admins over the user's unit)", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *struct{ Body apiUserInput }) (*apiBody[apiUser], error) {
		inp := &apiInput{s: s, ctx: ctx}
		u := &dxtrack.User{Lang: "vi"}
		password := in.Body.apply(inp, u)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Users.CreateUser(ctx, u, password); err != nil {
			return nil, err
		}
		return s.apiUserOK(ctx, u)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "update-user", Method: http.MethodPut, Path: "/users/{id}",
		Summary: "Update a user (admins over the user's unit); fields left out keep their value",
	}, func(ctx context.Context, in *apiIDBody[apiUserInput]) (*apiBody[apiUser], error) {
		u, err := s.Users.FindUserByID(ctx, in.ID)
		if err != nil {
			return nil, err
		}
		inp := &apiInput{s: s, ctx: ctx}
		password := in.Body.apply(inp, u)
		if err := inp.Err(); err != nil {
			return nil, err
		}
		if err := s.Users.UpdateUser(ctx, u, password); err != nil {
			return nil, err
		}
		return s.apiUserOK(ctx, u)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "get-me", Method: http.MethodGet, Path: "/me",
		Summary: "The signed-in user",
	}, func(ctx context.Context, _ *struct{}) (*apiBody[apiUser], error) {
		me, err := apiMe(ctx)
		if err != nil {
			return nil, err
		}
		return s.apiUserOK(ctx, me)
	})

	type meInput struct {
		Body apiMeInput
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "update-me", Method: http.MethodPut, Path: "/me",
		Summary: "Change one's own name, language or password",
	}, func(ctx context.Context, in *meInput) (*apiBody[apiUser], error) {
		me, err := apiMe(ctx)
		if err != nil {
			return nil, err
		}
		u, err := s.Users.FindUserByID(ctx, me.ID)
		if err != nil {
			return nil, err
		}
		apiSet(&u.Name, in.Body.Name)
		apiSet(&u.Lang, in.Body.Lang)
		password := ""
		apiSet(&password, in.Body.Password)
		if err := s.Users.UpdateUser(ctx, u, password); err != nil {
			return nil, err
		}
		return s.apiUserOK(ctx, u)
	})

	type tokenInput struct {
		Body apiTokenInput
	}
	apiRegister(s, api, huma.Operation{
		OperationID: "create-token", Method: http.MethodPost, Path: "/me/tokens",
		Summary: "Issue an API token for the signed-in user", DefaultStatus: http.StatusCreated,
	}, func(ctx context.Context, in *tokenInput) (*apiBody[apiToken], error) {
		if _, err := apiMe(ctx); err != nil {
			return nil, err
		}
		name := strings.TrimSpace(in.Body.Name)
		if name == "" {
			return nil, dxtrack.Invalid("name", "error.required", nil)
		}
		token, err := s.Users.CreateToken(ctx, name)
		if err != nil {
			return nil, err
		}
		return apiOK(apiToken{Name: name, Token: token})
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "list-tokens", Method: http.MethodGet, Path: "/me/tokens",
		Summary: "List the signed-in user's API tokens, newest first, without their secrets",
	}, func(ctx context.Context, _ *struct{}) (*apiBody[apiList[apiTokenInfo]], error) {
		tokens, err := s.Users.FindTokens(ctx)
		if err != nil {
			return nil, err
		}
		out := apiList[apiTokenInfo]{Items: make([]apiTokenInfo, 0, len(tokens)), Total: len(tokens)}
		for _, k := range tokens {
			out.Items = append(out.Items, apiTokenInfo{ID: k.ID, Name: k.Name, CreatedAt: k.CreatedAt, LastUsed: k.LastUsed})
		}
		return apiOK(out)
	})

	apiRegister(s, api, huma.Operation{
		OperationID: "revoke-token", Method: http.MethodDelete, Path: "/me/tokens/{id}",
		Summary:       "Revoke an API token of the signed-in user (or, for admins, of a user they manage); it stops working at once",
		DefaultStatus: http.StatusNoContent,
	}, func(ctx context.Context, in *apiID) (*struct{}, error) {
		return nil, s.Users.RevokeToken(ctx, in.ID)
	})
}
