package store_test

import (
	"slices"
	"testing"

	"github.com/dxtrack/dxtrack"
	"github.com/dxtrack/dxtrack/store"
)

func TestReminderStore(t *testing.T) {
	forEachEngine(t, func(t *testing.T, db *store.DB) {
		w := seed(t, db)
		s := store.NewReminderStore(db)
		key := "due/1/2025-07/3"

		_, err := s.ClaimReminder(t.Context(), key, testNow)
		wantCode(t, err, dxtrack.EUNAUTHORIZED)
		for i, want := range []bool{true, false} {
			ok, err := s.ClaimReminder(sys, key, testNow)
			must(t, err)
			if ok != want {
				t.Fatalf("claim %d = %v, want %v", i+1, ok, want)
			}
		}
		must(t, s.ReleaseReminder(sys, key))
		if ok, err := s.ClaimReminder(sys, key, testNow); err != nil || !ok {
			t.Fatalf("claim after release = %v, %v", ok, err)
		}

		mk := func(username string, role dxtrack.Role, unit int64, email string, disabled bool) {
			u := &dxtrack.User{Username: username, Name: username, Email: email, Role: role, UnitID: unit, Disabled: disabled}
			must(t, w.users.CreateUser(sys, u, testPassword))
		}
		mk("rp.a1", dxtrack.RoleReporter, w.communeA.ID, "a1@vandon.gov.vn", false)
		mk("rp.a2", dxtrack.RoleReporter, w.communeA.ID, "a2@vandon.gov.vn", false)
		mk("rp.a3", dxtrack.RoleReporter, w.communeA.ID, "a3@vandon.gov.vn", true)
		mk("rv.a", dxtrack.RoleReviewer, w.communeA.ID, "rv@vandon.gov.vn", false)
		mk("rp.qn", dxtrack.RoleReporter, w.qn.ID, "qn@quangninh.gov.vn", false)
		mk("ld.1", dxtrack.RoleLeader, w.qn.ID, "ld1@quangninh.gov.vn", false)
		mk("ld.2", dxtrack.RoleLeader, w.pt.ID, "ld2@phutho.gov.vn", true)
		_, err = w.units.UpdateUnit(sys, w.communeA.ID, dxtrack.UnitUpdate{Email: ptr("ubnd@vandon.gov.vn"),
			Head: ptr("Chủ tịch UBND Vân Đồn")}, date("2025-07-15"))
		must(t, err)

		cs, err := s.Contacts(sys, []int64{w.communeA.ID, w.communeB.ID, 99999})
		must(t, err)
		if got := cs[w.communeA.ID]; got.Head != "ubnd@vandon.gov.vn" || !slices.Equal(got.Reporters, []string{"a1@vandon.gov.vn", "a2@vandon.gov.vn"}) {
			t.Fatalf("contacts of Vân Đồn = %+v", got)
		}
		if got, ok := cs[w.communeB.ID]; !ok || got.Head != "" || len(got.Reporters) != 0 {
			t.Fatalf("contacts of Hoành Bồ = %+v, %v", got, ok)
		}
		if _, ok := cs[99999]; ok || len(cs) != 2 {
			t.Fatalf("contacts = %+v, want two units", cs)
		}
		leaders, err := s.LeaderEmails(sys)
		must(t, err)
		if !slices.Equal(leaders, []string{"ld1@quangninh.gov.vn"}) {
			t.Fatalf("leader emails = %v", leaders)
		}
	})
}
