package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestTokens(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		ctx := context.Background()
		now := testNow
		db.Now = func() time.Time { return now }

		first, err := w.users.CreateToken(as(w.reviewer), "bảng điều khiển")
		must(t, err)
		now = now.Add(time.Hour)
		_, err = w.users.CreateToken(as(w.reviewer), "máy chủ báo cáo")
		must(t, err)
		_, err = w.users.CreateToken(as(w.leader), "của lãnh đạo")
		must(t, err)

		list := func(u *dxtrack.User) []*dxtrack.Token {
			t.Helper()
			tokens, err := w.users.FindTokens(as(u))
			must(t, err)
			return tokens
		}
		tokens := list(w.reviewer)
		if len(tokens) != 2 || tokens[0].Name != "máy chủ báo cáo" || tokens[1].Name != "bảng điều khiển" {
			t.Fatalf("reviewer's tokens, newest first: %s", describe(tokens))
		}
		if !tokens[1].CreatedAt.Equal(testNow) || !tokens[0].CreatedAt.Equal(testNow.Add(time.Hour)) {
			t.Errorf("created at %v and %v", tokens[1].CreatedAt, tokens[0].CreatedAt)
		}
		for _, k := range tokens {
			if k.UserID != w.reviewer.ID || !k.LastUsed.IsZero() {
				t.Errorf("unused token: %s", describe(k))
			}
		}
		older := tokens[1]
		if got := list(w.leader); len(got) != 1 || got[0].Name != "của lãnh đạo" {
			t.Errorf("leader's tokens: %s", describe(got))
		}
		if got := list(dxtrack.SystemUser); len(got) != 0 {
			t.Errorf("system user's tokens: %s", describe(got))
		}
		_, err = w.users.FindTokens(ctx)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)

		// Each use refreshes last_used, but at most once a minute.
		lastUsed := func() time.Time {
			t.Helper()
			for _, k := range list(w.reviewer) {
				if k.ID == older.ID {
					return k.LastUsed
				}
			}
			t.Fatalf("token %d is gone", older.ID)
			return time.Time{}
		}
		used := now
		for _, step := range []struct {
			after time.Duration
			want  func() time.Time
		}{
			{0, func() time.Time { return used }},
			{30 * time.Second, func() time.Time { return used }},
			{59 * time.Second, func() time.Time { return used }},
			{61 * time.Second, func() time.Time { return used.Add(61 * time.Second) }},
		} {
			now = used.Add(step.after)
			u, err := w.users.UserByToken(ctx, first)
			must(t, err)
			if u.ID != w.reviewer.ID {
				t.Fatalf("token belongs to %s", u.Username)
			}
			if got, want := lastUsed(), step.want(); !got.Equal(want) {
				t.Errorf("%v after the first use: last used %v, want %v", step.after, got, want)
			}
		}

		// Only the owner, or an admin over the owner's unit, may revoke; to
		// anyone else the token does not exist.
		for _, u := range []*dxtrack.User{w.leader, w.reporterA, w.adminPT} {
			wantCode(t, w.users.RevokeToken(as(u), older.ID), dxtrack.ENOTFOUND)
		}
		wantCode(t, w.users.RevokeToken(ctx, older.ID), dxtrack.EUNAUTHORIZED)
		if got := list(w.reviewer); len(got) != 2 {
			t.Fatalf("a refused revocation removed a token: %s", describe(got))
		}
		must(t, w.users.RevokeToken(as(w.admin), older.ID))
		_, err = w.users.UserByToken(ctx, first)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		wantCode(t, w.users.RevokeToken(as(w.admin), older.ID), dxtrack.ENOTFOUND)
		if got := list(w.reviewer); len(got) != 1 || got[0].Name != "máy chủ báo cáo" {
			t.Errorf("after revoking: %s", describe(got))
		}

		// The owner revokes its own.
		must(t, w.users.RevokeToken(as(w.reviewer), tokens[0].ID))
		if got := list(w.reviewer); len(got) != 0 {
			t.Errorf("after the owner revoked: %s", describe(got))
		}
		entries, err := w.audit.FindAudit(as(w.admin), "user", w.reviewer.ID)
		must(t, err)
		if len(entries) < 2 || entries[0].Field != "token" || entries[0].Old != "máy chủ báo cáo" || entries[0].New != "" ||
			entries[0].UserID != w.reviewer.ID || entries[1].Old != "bảng điều khiển" || entries[1].UserID != w.admin.ID {
			t.Errorf("audit of revocations: %s", describe(entries))
		}
	})
}
