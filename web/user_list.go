package web

import (
	"net/http"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/locale"
)

// userListPage is the data of the user list.
type userListPage struct {
	Users []*dxtrack.User
	Units map[int64]*dxtrack.Unit
	Query string
	Role  string
	Roles []dxtrack.Role
	Pager pager
}

// listUsers lists the accounts in the admin's scope.
func (s *Server) listUsers(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	p := locale.For(langFrom(ctx))
	q := r.URL.Query()
	pg := pageOf(r)
	f := dxtrack.UserFilter{Role: dxtrack.Role(q.Get("role")), Query: q.Get("q"), Page: pg}
	if !f.Role.Valid() {
		f.Role = ""
	}
	users, total, err := s.Users.FindUsers(ctx, f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	ids := make([]int64, len(users))
	for i, u := range users {
		ids[i] = u.UnitID
	}
	units, err := s.unitsByID(ctx, ids...)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	data := userListPage{Users: users, Units: units, Query: f.Query, Role: string(f.Role), Roles: dxtrack.Roles, Pager: newPager(r, pg, len(users), total)}
	s.render(w, r, http.StatusOK, "user_list", p.T("page.users.title", nil), data)
}
