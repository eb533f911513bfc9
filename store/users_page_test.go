package store_test

import (
	"fmt"
	"testing"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/storetest"
)

// TestListUsersPage walks every page of 230 users and finds each exactly
// once, in name order; search and a forged cursor behave.
func TestListUsersPage(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := t.Context()
	a := mustAccount(t, db, "Paged")
	other := mustAccount(t, db, "Other")
	mustUser(t, db, other.ID, "stranger@other.example", domain.RoleInterviewer)
	for i := range 230 {
		// Names repeat so the cursor must break ties by id.
		mustUser(t, db, a.ID, fmt.Sprintf("u%03d@paged.example", i), domain.RoleInterviewer)
	}
	seen := map[int64]bool{}
	var prev *domain.User
	after, pages := "", 0
	for {
		p, err := db.ListUsersPage(ctx, a.ID, store.UserFilter{After: after, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, u := range p.Users {
			if u.AccountID != a.ID || seen[u.ID] {
				t.Fatalf("user %d from account %d seen twice or foreign", u.ID, u.AccountID)
			}
			seen[u.ID] = true
			if prev != nil && (u.Name < prev.Name || u.Name == prev.Name && u.ID < prev.ID) {
				t.Fatalf("%q (%d) after %q (%d): not in name order", u.Name, u.ID, prev.Name, prev.ID)
			}
			prev = u
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if len(seen) != 230 || pages != 5 {
		t.Fatalf("saw %d users in %d pages, want 230 in 5", len(seen), pages)
	}
	found, err := db.ListUsersPage(ctx, a.ID, store.UserFilter{Search: "U229@"})
	if err != nil || len(found.Users) != 1 || found.Users[0].Email != "u229@paged.example" {
		t.Fatalf("search: %+v %v", found, err)
	}
	if none, err := db.ListUsersPage(ctx, a.ID, store.UserFilter{Search: "stranger"}); err != nil || len(none.Users) != 0 {
		t.Fatalf("search reached another account: %+v %v", none, err)
	}
	if _, err := db.ListUsersPage(ctx, a.ID, store.UserFilter{After: "not a cursor!"}); domain.ErrorCode(err) != domain.EINVALID {
		t.Fatalf("forged cursor: %v", err)
	}
}

// ListUsersByEmail reads the account's users among the addresses, and
// nobody of another account.
func TestListUsersByEmail(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := t.Context()
	a, ada, err := db.CreateAccountWithAdmin(ctx, "Acme", store.NewUser{Email: "ada@acme.example", Name: "Ada", Role: domain.RoleAdmin})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.CreateAccountWithAdmin(ctx, "Globex", store.NewUser{Email: "gus@globex.example", Name: "Gus", Role: domain.RoleAdmin}); err != nil {
		t.Fatal(err)
	}
	got, err := db.ListUsersByEmail(ctx, a.ID, []string{"ada@acme.example", "gus@globex.example", "nobody@acme.example"})
	if err != nil || len(got) != 1 || got["ada@acme.example"] == nil || got["ada@acme.example"].ID != ada.ID {
		t.Fatalf("users = %v, %v; want Ada alone", got, err)
	}
}
