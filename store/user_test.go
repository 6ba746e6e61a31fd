package store_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/alexedwards/scs/v2"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestFirstUser(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := services(db)
		n, err := w.users.CountUsers(context.Background())
		must(t, err)
		if n != 0 {
			t.Fatalf("new store has %d users", n)
		}
		province := w.mustUnit(t, "22", "Quảng Ninh", dxtrack.UnitProvince, 0)
		first := &dxtrack.User{Username: "admin", Name: "Quản trị", Role: dxtrack.RoleAdmin, UnitID: province.ID}
		// Without anyone signed in, the first account is created...
		must(t, w.users.CreateUser(context.Background(), first, testPassword))
		if first.ID == 0 || first.Lang != "vi" || !strings.HasPrefix(first.PasswordHash, "$argon2id$v=19$") {
			t.Errorf("first user: %+v", first)
		}
		// ...and no other.
		second := &dxtrack.User{Username: "admin2", Name: "Khác", Role: dxtrack.RoleAdmin, UnitID: province.ID}
		err = w.users.CreateUser(context.Background(), second, testPassword)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		var e *dxtrack.Error
		if !errorsAs(err, &e) || e.MsgID != "error.first_run_done" {
			t.Errorf("refusal message: %v", err)
		}
		if n, _ := w.users.CountUsers(context.Background()); n != 1 {
			t.Errorf("%d users after the refusal", n)
		}
	})
}

func TestUsers(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		ctx := context.Background()

		t.Run("authenticate", func(t *testing.T) {
			u, err := w.users.Authenticate(ctx, "reporter.a", testPassword)
			must(t, err)
			if u.ID != w.reporterA.ID || u.Role != dxtrack.RoleReporter || u.UnitID != w.communeA.ID {
				t.Errorf("authenticated as %+v", u)
			}
			for _, c := range [][2]string{{"reporter.a", "sai mật khẩu"}, {"reporter.a", ""}, {"nobody", testPassword}} {
				_, err := w.users.Authenticate(ctx, c[0], c[1])
				wantCode(t, err, dxtrack.EUNAUTHORIZED)
				var e *dxtrack.Error
				if !errorsAs(err, &e) || e.MsgID != "error.login_failed" {
					t.Errorf("%v: %v", c, err)
				}
			}
			su, err := w.users.SessionUser(ctx, w.leader.ID)
			must(t, err)
			if su.Username != "leader.qn" {
				t.Errorf("session user %+v", su)
			}
			_, err = w.users.SessionUser(ctx, 424242)
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
		})

		t.Run("create refused", func(t *testing.T) {
			before := w.count(t, "users")
			for _, c := range []struct {
				ctx   context.Context
				u     dxtrack.User
				pw    string
				field string
				msgID string
				code  string
			}{
				{as(w.admin), dxtrack.User{Username: "reporter.a", Name: "Trùng", Role: dxtrack.RoleReporter, UnitID: w.communeA.ID}, testPassword, "username", "error.duplicate_username", dxtrack.EINVALID},
				{as(w.admin), dxtrack.User{Username: "new.user", Name: "Ngắn", Role: dxtrack.RoleReporter, UnitID: w.communeA.ID}, "short", "password", "error.password_short", dxtrack.EINVALID},
				{as(w.admin), dxtrack.User{Username: "new.user", Name: "Lạc", Role: dxtrack.RoleReporter, UnitID: 424242}, testPassword, "unit", "error.unknown_unit", dxtrack.EINVALID},
				{as(w.adminPT), dxtrack.User{Username: "new.user", Name: "Ngoài", Role: dxtrack.RoleReporter, UnitID: w.communeA.ID}, testPassword, "", "", dxtrack.EFORBIDDEN},
				{as(w.reviewer), dxtrack.User{Username: "new.user", Name: "Không", Role: dxtrack.RoleReporter, UnitID: w.communeA.ID}, testPassword, "", "", dxtrack.EFORBIDDEN},
			} {
				err := w.users.CreateUser(c.ctx, &c.u, c.pw)
				if c.field != "" {
					wantField(t, err, c.field, c.msgID)
				} else {
					wantCode(t, err, c.code)
				}
			}
			if after := w.count(t, "users"); after != before {
				t.Errorf("users %d → %d after refused creates", before, after)
			}
		})

		t.Run("scope", func(t *testing.T) {
			users, total, err := w.users.FindUsers(as(w.admin), dxtrack.UserFilter{})
			must(t, err)
			var names []string
			for _, u := range users {
				names = append(names, u.Username)
			}
			if want := []string{"admin.qn", "leader.qn", "reporter.a", "reporter.b", "reviewer.qn"}; !slices.Equal(names, want) || total != 5 {
				t.Errorf("admin of Quảng Ninh lists %v", names)
			}
			_, total, err = w.users.FindUsers(as(w.admin), dxtrack.UserFilter{UnitID: w.communeA.ID})
			must(t, err)
			if total != 1 {
				t.Errorf("users under Vân Đồn: %d", total)
			}
			_, total, err = w.users.FindUsers(as(w.admin), dxtrack.UserFilter{Role: dxtrack.RoleReporter, Query: "can bo reporter"})
			must(t, err)
			if total != 2 {
				t.Errorf("reporters found: %d", total)
			}
			_, _, err = w.users.FindUsers(as(w.leader), dxtrack.UserFilter{})
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.users.FindUserByID(as(w.adminPT), w.reporterA.ID)
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.users.FindUserByID(as(w.reporterB), w.reporterA.ID)
			wantCode(t, err, dxtrack.EFORBIDDEN)
			me, err := w.users.FindUserByID(as(w.reporterA), w.reporterA.ID)
			must(t, err)
			if me.Username != "reporter.a" {
				t.Errorf("own account: %+v", me)
			}
		})

		t.Run("update", func(t *testing.T) {
			// A user changes its own name, language and password...
			me := *w.reporterB
			me.Name, me.Lang = "Nguyễn Văn B", "en"
			must(t, w.users.UpdateUser(as(w.reporterB), &me, "mật khẩu mới dài"))
			if _, err := w.users.Authenticate(ctx, "reporter.b", testPassword); dxtrack.ErrorCode(err) != dxtrack.EUNAUTHORIZED {
				t.Errorf("old password still accepted: %v", err)
			}
			u, err := w.users.Authenticate(ctx, "reporter.b", "mật khẩu mới dài")
			must(t, err)
			if u.Name != "Nguyễn Văn B" || u.Lang != "en" {
				t.Errorf("after self-update: %+v", u)
			}
			// ...but not its role.
			me.Role = dxtrack.RoleAdmin
			wantCode(t, w.users.UpdateUser(as(w.reporterB), &me, ""), dxtrack.EFORBIDDEN)
			// An admin disables it: no more sign-in, session or token.
			token, err := w.users.CreateToken(as(u), "máy chủ báo cáo")
			must(t, err)
			u.Disabled = true
			must(t, w.users.UpdateUser(as(w.admin), u, ""))
			_, err = w.users.Authenticate(ctx, "reporter.b", "mật khẩu mới dài")
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			_, err = w.users.SessionUser(ctx, u.ID)
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			_, err = w.users.UserByToken(ctx, token)
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
			entries, err := w.audit.FindAudit(as(w.admin), "user", u.ID)
			must(t, err)
			if entries[0].Field != "disabled" || entries[0].New != "true" || entries[0].UserID != w.admin.ID {
				t.Errorf("user audit: %s", describe(entries))
			}
			// An admin cannot move a user out of its scope.
			a := *w.reporterA
			a.UnitID = w.communePT.ID
			wantCode(t, w.users.UpdateUser(as(w.admin), &a, ""), dxtrack.EFORBIDDEN)
		})

		t.Run("tokens", func(t *testing.T) {
			token, err := w.users.CreateToken(as(w.reviewer), "bảng điều khiển")
			must(t, err)
			if len(token) != 43 || strings.ContainsAny(token, "+/=") {
				t.Errorf("token %q is not 32 bytes of base64url", token)
			}
			u, err := w.users.UserByToken(ctx, token)
			must(t, err)
			if u.ID != w.reviewer.ID {
				t.Errorf("token belongs to %+v", u)
			}
			for _, bad := range []string{"", token + "x", strings.ToUpper(token)} {
				_, err := w.users.UserByToken(ctx, bad)
				wantCode(t, err, dxtrack.EUNAUTHORIZED)
			}
			if n, err := store.CountTokenRows(db, token); err != nil || n != 0 {
				t.Errorf("the token itself is stored (%d rows, %v)", n, err)
			}
			_, err = w.users.CreateToken(sys, "system")
			wantCode(t, err, dxtrack.EFORBIDDEN)
			_, err = w.users.CreateToken(ctx, "nobody")
			wantCode(t, err, dxtrack.EUNAUTHORIZED)
		})
	})
}

func TestSessions(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		s := store.NewSessionStore(db)
		var _ scs.Store = s
		var _ scs.CtxStore = s
		ctx := context.Background()
		expiry := testNow.Add(time.Hour)
		must(t, s.CommitCtx(ctx, "tok1", []byte("dữ liệu"), expiry))
		b, found, err := s.FindCtx(ctx, "tok1")
		must(t, err)
		if !found || string(b) != "dữ liệu" {
			t.Errorf("found %v %q", found, b)
		}
		must(t, s.Commit("tok1", []byte{0, 1, 2}, expiry))
		b, found, err = s.Find("tok1")
		must(t, err)
		if !found || !slices.Equal(b, []byte{0, 1, 2}) {
			t.Errorf("after overwrite: %v %v", found, b)
		}
		_, found, err = s.Find("missing")
		if err != nil || found {
			t.Errorf("missing token: %v %v", found, err)
		}
		must(t, s.Commit("old", []byte("x"), testNow.Add(-time.Minute)))
		if _, found, _ := s.Find("old"); found {
			t.Error("expired session found")
		}
		// Time passes: tok1 expires and the next commit purges it.
		db.Now = func() time.Time { return testNow.Add(2 * time.Hour) }
		if _, found, _ := s.Find("tok1"); found {
			t.Error("session found after its expiry")
		}
		must(t, s.Commit("tok2", []byte("y"), testNow.Add(3*time.Hour)))
		if n, err := store.CountRows(db, "sessions"); err != nil || n != 1 {
			t.Errorf("%d session rows after the purge (%v), want 1", n, err)
		}
		must(t, s.Delete("tok2"))
		must(t, s.DeleteCtx(ctx, "never-existed"))
		if _, found, _ := s.Find("tok2"); found {
			t.Error("deleted session found")
		}
	})
}
