package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/dxtrack/dxtrack"
)

// tokenID finds the ID of one of the user's tokens by name.
func tokenID(t *testing.T, e *env, u *dxtrack.User, name string) int64 {
	t.Helper()
	tokens, err := e.users.FindTokens(dxtrack.NewContextWithUser(e.sys, u))
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range tokens {
		if k.Name == name {
			return k.ID
		}
	}
	t.Fatalf("%s has no token %q", u.Username, name)
	return 0
}

// bearer calls the API with a token and returns the status.
func (e *env) bearer(token, path string) int {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodGet, e.ts.URL+"/api/v1"+path, nil)
	if err != nil {
		e.t.Fatal(err)
	}
	req.Header.Set("Authorization", "Bearer "+token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		e.t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode
}

func (e *env) userNamed(username string) *dxtrack.User {
	e.t.Helper()
	users, _, err := e.users.FindUsers(e.sys, dxtrack.UserFilter{Query: username})
	if err != nil {
		e.t.Fatal(err)
	}
	for _, u := range users {
		if u.Username == username {
			return u
		}
	}
	e.t.Fatalf("no user %q", username)
	return nil
}

func TestAccountTokens(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	leader := f.userNamed("leader")
	as := dxtrack.NewContextWithUser(f.sys, leader)
	portal, err := f.users.CreateToken(as, "Cổng dịch vụ công")
	if err != nil {
		t.Fatal(err)
	}
	weekly, err := f.users.CreateToken(as, "Báo cáo tuần")
	if err != nil {
		t.Fatal(err)
	}
	// The portal has called the API once, at the tests' "now".
	if got := f.bearer(portal, "/me"); got != http.StatusOK {
		t.Fatalf("GET /me with the portal's token: %d", got)
	}

	c := f.login("leader")
	res, body := c.get("/account")
	wantStatus(t, res, body, http.StatusOK)
	// Asia/Ho_Chi_Minh is UTC+7: 09:00 UTC is 16:00.
	wantText(t, body, "Mã truy cập đã tạo 2", "Cổng dịch vụ công 15/01/2023 16:00 15/01/2023 16:00 Thu hồi",
		"Báo cáo tuần 15/01/2023 16:00 Chưa dùng Thu hồi")
	portalID := tokenID(t, f.env, leader, "Cổng dịch vụ công")
	weeklyID := tokenID(t, f.env, leader, "Báo cáo tuần")
	if !strings.Contains(body, `action="/account/tokens/`+fmtID(portalID)+`/revoke"`) {
		t.Errorf("no revoke form for token %d", portalID)
	}

	// Someone else cannot revoke the leader's token, nor learn it exists.
	other := f.login("reporter-a")
	res, body = other.post("/account/tokens/"+fmtID(portalID)+"/revoke", nil)
	wantStatus(t, res, body, http.StatusNotFound)
	_, body = other.get("/account")
	noText(t, body, "Cổng dịch vụ công")
	wantText(t, body, "Bạn chưa tạo mã truy cập nào.")
	if got := f.bearer(portal, "/me"); got != http.StatusOK {
		t.Errorf("after a refused revocation the token gets %d", got)
	}

	// The owner revokes it: it is refused at once, the other stays.
	res, body = c.post("/account/tokens/"+fmtID(portalID)+"/revoke", nil)
	wantRedirect(t, res, body, "/account")
	_, body = c.get("/account")
	wantText(t, body, "Đã thu hồi mã truy cập.", "Mã truy cập đã tạo 1", "Báo cáo tuần")
	noText(t, body, "Cổng dịch vụ công")
	if got := f.bearer(portal, "/me"); got != http.StatusUnauthorized {
		t.Errorf("a revoked token gets %d, want 401", got)
	}
	if got := f.bearer(weekly, "/me"); got != http.StatusOK {
		t.Errorf("the other token gets %d", got)
	}
	res, body = c.post("/account/tokens/"+fmtID(portalID)+"/revoke", nil)
	wantStatus(t, res, body, http.StatusNotFound)

	// An admin over the leader's unit may revoke it.
	res, body = f.login("admin").post("/account/tokens/"+fmtID(weeklyID)+"/revoke", nil)
	wantRedirect(t, res, body, "/account")
	if got := f.bearer(weekly, "/me"); got != http.StatusUnauthorized {
		t.Errorf("a token an admin revoked gets %d, want 401", got)
	}

	// Signed out, the form leads to the login page and back.
	res, body = f.client().post("/account/tokens/"+fmtID(weeklyID)+"/revoke", url.Values{})
	wantRedirect(t, res, body, "/login?next=%2Faccount")
}

func TestAPITokenListAndRevoke(t *testing.T) {
	t.Parallel()
	f := newAPIFixture(t)
	type tokenView struct {
		ID        int64  `json:"id"`
		Name      string `json:"name"`
		CreatedAt string `json:"created_at"`
		LastUsed  string `json:"last_used"`
		Token     string `json:"token"`
		Hash      string `json:"hash"`
	}
	list := func(as string) []tokenView {
		t.Helper()
		var out struct {
			Items []tokenView `json:"items"`
			Total int         `json:"total"`
		}
		f.do(as, http.MethodGet, "/me/tokens", nil).ok(http.StatusOK).decode(&out)
		if out.Total != len(out.Items) {
			t.Errorf("total %d, items %d", out.Total, len(out.Items))
		}
		return out.Items
	}
	// The request that lists is itself a use of the token.
	got := list("leader")
	if len(got) != 1 || got[0].Name != "test" || got[0].CreatedAt != "2024-06-15T09:00:00Z" || got[0].LastUsed != "2024-06-15T09:00:00Z" {
		t.Fatalf("leader's tokens: %+v", got)
	}
	if got[0].Token != "" || got[0].Hash != "" {
		t.Errorf("a listed token shows its secret: %+v", got[0])
	}
	first := got[0].ID
	var created struct {
		Token string `json:"token"`
	}
	f.do("leader", http.MethodPost, "/me/tokens", map[string]any{"name": "Báo cáo tuần"}).ok(http.StatusCreated).decode(&created)
	got = list("leader")
	if len(got) != 2 || got[0].Name != "Báo cáo tuần" || got[0].LastUsed != "" || got[1].ID != first {
		t.Fatalf("after creating, newest first: %+v", got)
	}
	second := got[0].ID

	// A reporter cannot revoke another's token; the token keeps working.
	f.do("reporter-a", http.MethodDelete, "/me/tokens/"+fmtID(first), nil).problem(http.StatusNotFound, "not_found")
	f.do("leader", http.MethodGet, "/me", nil).ok(http.StatusOK)

	// Revoked, the token is refused from the next request on.
	f.tokens["weekly"] = created.Token
	f.do("leader", http.MethodDelete, "/me/tokens/"+fmtID(second), nil).ok(http.StatusNoContent)
	f.do("weekly", http.MethodGet, "/me", nil).problem(http.StatusUnauthorized, "unauthorized")
	f.do("leader", http.MethodDelete, "/me/tokens/"+fmtID(second), nil).problem(http.StatusNotFound, "not_found")

	// An admin over the owner's unit revokes the owner's last token.
	f.do("admin", http.MethodDelete, "/me/tokens/"+fmtID(first), nil).ok(http.StatusNoContent)
	f.do("leader", http.MethodGet, "/me/tokens", nil).problem(http.StatusUnauthorized, "unauthorized")
	f.do("", http.MethodGet, "/me/tokens", nil).problem(http.StatusUnauthorized, "unauthorized")
}
