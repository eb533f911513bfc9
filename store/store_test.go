package store_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/storetest"
)

func mustAccount(tb testing.TB, db *store.DB, name string) *domain.Account {
	tb.Helper()
	a, err := db.CreateAccount(context.Background(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

func mustUser(tb testing.TB, db *store.DB, accountID int64, email string, role domain.Role) *domain.User {
	tb.Helper()
	u, err := db.CreateUser(context.Background(), accountID, store.NewUser{Email: email, Name: strings.Split(email, "@")[0], Role: role, TimeZone: "Europe/London"})
	if err != nil {
		tb.Fatal(err)
	}
	return u
}

func TestDialect(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	want := store.SQLite
	if os.Getenv("TEST_DATABASE_URL") != "" {
		want = store.Postgres
	}
	if db.Dialect != want {
		t.Fatalf("dialect = %s, want %s", db.Dialect, want)
	}
	v, err := db.MigrationVersion(t.Context())
	if err != nil || v < 1 {
		t.Fatalf("migration version = %d, %v", v, err)
	}
	// Migrating again is a no-op, not an error.
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
}

func TestUsersAreScopedByAccount(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	b := mustAccount(t, db, "Globex")
	ua := mustUser(t, db, a.ID, "ann@acme.test", domain.RoleAdmin)
	ub := mustUser(t, db, b.ID, "bob@globex.test", domain.RoleAdmin)

	if _, err := db.GetUser(t.Context(), a.ID, ub.ID); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("account A read B's user: err = %v", err)
	}
	if _, err := db.UpdateUserRole(t.Context(), a.ID, ub.ID, domain.RoleScheduler); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("account A changed B's user: err = %v", err)
	}
	if _, err := db.UpdateUserActive(t.Context(), a.ID, ub.ID, false); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("account A deactivated B's user: err = %v", err)
	}
	got, err := db.GetUser(t.Context(), b.ID, ub.ID)
	if err != nil || got.Role != domain.RoleAdmin || !got.Active {
		t.Fatalf("B's user changed: %+v, %v", got, err)
	}
	users, err := db.ListUsers(t.Context(), a.ID)
	if err != nil || len(users) != 1 || users[0].ID != ua.ID {
		t.Fatalf("ListUsers(A) = %v, %v", users, err)
	}
}

func TestCreateUserValidates(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	mustUser(t, db, a.ID, "ann@acme.test", domain.RoleAdmin)
	cases := []struct {
		name  string
		in    store.NewUser
		field string
	}{
		{"bad email", store.NewUser{Email: "not-an-email", Name: "X", Role: domain.RoleAdmin}, "email"},
		{"duplicate email", store.NewUser{Email: "ANN@acme.test", Name: "X", Role: domain.RoleAdmin}, "email"},
		{"no name", store.NewUser{Email: "x@acme.test", Name: "  ", Role: domain.RoleAdmin}, "name"},
		{"long name", store.NewUser{Email: "x@acme.test", Name: strings.Repeat("n", 201), Role: domain.RoleAdmin}, "name"},
		{"bad role", store.NewUser{Email: "x@acme.test", Name: "X", Role: "owner"}, "role"},
		{"bad zone", store.NewUser{Email: "x@acme.test", Name: "X", Role: domain.RoleAdmin, TimeZone: "Mars/Olympus"}, "time_zone"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := db.CreateUser(t.Context(), a.ID, c.in)
			var de *domain.Error
			if !domain.IsCode(err, domain.EINVALID) || !asErr(err, &de) || de.Fields[c.field] == "" {
				t.Fatalf("err = %v, want EINVALID on %s", err, c.field)
			}
		})
	}
	users, _ := db.ListUsers(t.Context(), a.ID)
	if len(users) != 1 {
		t.Fatalf("invalid input saved users: %d", len(users))
	}
}

func asErr(err error, target **domain.Error) bool {
	return errors.As(err, target)
}

func TestLastAdminIsKept(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	admin := mustUser(t, db, a.ID, "ann@acme.test", domain.RoleAdmin)
	if _, err := db.UpdateUserRole(t.Context(), a.ID, admin.ID, domain.RoleScheduler); !domain.IsCode(err, domain.ECONFLICT) {
		t.Fatalf("demoting the last admin: err = %v", err)
	}
	if _, err := db.UpdateUserActive(t.Context(), a.ID, admin.ID, false); !domain.IsCode(err, domain.ECONFLICT) {
		t.Fatalf("deactivating the last admin: err = %v", err)
	}
	second := mustUser(t, db, a.ID, "bea@acme.test", domain.RoleAdmin)
	// Two admins demoting each other at once: exactly one may succeed.
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, id := range []int64{admin.ID, second.ID} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.UpdateUserRole(context.Background(), a.ID, id, domain.RoleInterviewer)
		}()
	}
	wg.Wait()
	ok := 0
	for _, err := range errs {
		if err == nil {
			ok++
		}
	}
	if ok != 1 {
		t.Fatalf("concurrent demotions: %d succeeded (%v), want exactly 1", ok, errs)
	}
}

func TestInvitationSingleUseAndExpiry(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	admin := mustUser(t, db, a.ID, "ann@acme.test", domain.RoleAdmin)
	if _, err := db.CreateInvitation(t.Context(), a.ID, admin.ID, "ann@acme.test", domain.RoleScheduler, "h0"); !domain.IsCode(err, domain.EINVALID) {
		t.Fatalf("inviting an existing user: %v", err)
	}
	inv, err := db.CreateInvitation(t.Context(), a.ID, admin.ID, "New.Person@Acme.test", domain.RoleScheduler, "h1")
	if err != nil {
		t.Fatal(err)
	}
	if inv.Email != "new.person@acme.test" {
		t.Fatalf("email not normalized: %q", inv.Email)
	}
	u, err := db.AcceptInvitation(t.Context(), "h1", "New Person", "America/New_York", "hash")
	if err != nil || u.AccountID != a.ID || u.Role != domain.RoleScheduler {
		t.Fatalf("accept: %+v, %v", u, err)
	}
	if _, err := db.AcceptInvitation(t.Context(), "h1", "Again", "UTC", "hash"); !domain.IsCode(err, domain.EINVALID) {
		t.Fatalf("reused invitation: %v", err)
	}
	if _, err := db.CreateInvitation(t.Context(), a.ID, admin.ID, "late@acme.test", domain.RoleInterviewer, "h2"); err != nil {
		t.Fatal(err)
	}
	db.Now = func() time.Time { return time.Now().Add(domain.InvitationTTL + time.Minute) }
	if _, err := db.AcceptInvitation(t.Context(), "h2", "Late", "UTC", "hash"); !domain.IsCode(err, domain.EINVALID) {
		t.Fatalf("expired invitation: %v", err)
	}
	if _, err := db.GetUserByEmail(t.Context(), a.ID, "late@acme.test"); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("expired invitation created a user: %v", err)
	}
}

func TestSessions(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	u := mustUser(t, db, a.ID, "ann@acme.test", domain.RoleAdmin)
	other := mustUser(t, db, a.ID, "bea@acme.test", domain.RoleAdmin)
	if err := db.CreateSession(t.Context(), store.Session{TokenHash: "s1", AccountID: a.ID, UserID: u.ID, ExpiresAt: time.Now().Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, got, err := db.GetSessionUser(t.Context(), "s1"); err != nil || got.ID != u.ID {
		t.Fatalf("find session: %v %v", got, err)
	}
	// Deactivating a user ends their sessions.
	if _, err := db.UpdateUserActive(t.Context(), a.ID, u.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.GetSessionUser(t.Context(), "s1"); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("deactivated user's session still valid: %v", err)
	}
	_ = other
	// Expired sessions do not count.
	if err := db.CreateSession(t.Context(), store.Session{TokenHash: "s2", AccountID: a.ID, UserID: other.ID, ExpiresAt: time.Now().Add(-time.Second)}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := db.GetSessionUser(t.Context(), "s2"); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("expired session valid: %v", err)
	}
	if n, err := db.DeleteExpiredSessions(t.Context()); err != nil || n != 1 {
		t.Fatalf("DeleteExpiredSessions = %d, %v", n, err)
	}
}

func TestSignInThrottle(t *testing.T) {
	db := storetest.MustOpen(t)
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	attacker := store.SignInClient{Addr: "203.0.113.9"}
	for i := 0; i < store.ClientFreeFailures; i++ {
		if w, err := db.ReserveSignInAttempt(t.Context(), "x@y.test", attacker); err != nil || w != 0 {
			t.Fatalf("attempt %d must not wait, got %v, %v", i, w, err)
		}
	}
	w, err := db.ReserveSignInAttempt(t.Context(), "x@y.test", attacker)
	if err != nil || w <= 0 {
		t.Fatalf("after %d failures wait = %v, %v; want > 0", store.ClientFreeFailures, w, err)
	}
	// The owner, from another network or their own browser, is not held back.
	if w, _ := db.ReserveSignInAttempt(t.Context(), "x@y.test", store.SignInClient{Addr: "198.51.100.7"}); w != 0 {
		t.Fatalf("another client must not wait, got %v", w)
	}
	owner := store.SignInClient{Addr: "203.0.113.9", DeviceHash: "known-browser"}
	if w, _ := db.ReserveSignInAttempt(t.Context(), "x@y.test", owner); w != 0 {
		t.Fatalf("a known browser behind the same address must not wait, got %v", w)
	}
	if err := db.DeleteSignInFailures(t.Context(), "x@y.test", attacker); err != nil {
		t.Fatal(err)
	}
	if w, _ := db.ReserveSignInAttempt(t.Context(), "x@y.test", attacker); w != 0 {
		t.Fatalf("after clear wait = %v", w)
	}
	// The wait passes with time, and old failures are forgotten.
	now = now.Add(time.Hour)
	for i := 0; i < store.ClientFreeFailures; i++ {
		if w, _ := db.ReserveSignInAttempt(t.Context(), "x@y.test", attacker); w != 0 {
			t.Fatalf("an hour later attempt %d waits %v", i, w)
		}
	}
}

// Guesses from many networks meet the looser per-address ceiling, which a
// browser that signed in before does not share.
func TestSignInThrottleAddressCeiling(t *testing.T) {
	db := storetest.MustOpen(t)
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	for i := 0; i < store.AddressFreeFailures; i++ {
		if w, err := db.ReserveSignInAttempt(t.Context(), "x@y.test", store.SignInClient{Addr: fmt.Sprintf("10.0.%d.%d", i/200, i%200)}); err != nil || w != 0 {
			t.Fatalf("guess %d waits %v, %v", i, w, err)
		}
	}
	if w, _ := db.ReserveSignInAttempt(t.Context(), "x@y.test", store.SignInClient{Addr: "10.9.9.9"}); w <= 0 {
		t.Fatal("a fresh network passes the per-address ceiling")
	}
	if err := db.CreateSignInDevice(t.Context(), "x@y.test", "dev-hash"); err != nil {
		t.Fatal(err)
	}
	if ok, err := db.IsSignInDevice(t.Context(), "x@y.test", "dev-hash"); err != nil || !ok {
		t.Fatalf("IsSignInDevice = %v, %v", ok, err)
	}
	if ok, _ := db.IsSignInDevice(t.Context(), "other@y.test", "dev-hash"); ok {
		t.Fatal("a device known for one address counts for another")
	}
	if w, _ := db.ReserveSignInAttempt(t.Context(), "x@y.test", store.SignInClient{Addr: "10.9.9.9", DeviceHash: "dev-hash"}); w != 0 {
		t.Fatalf("the owner's browser waits %v under the per-address ceiling", w)
	}
}

// Concurrent attempts are counted before any is let through: 60 at once
// for one address from one client get exactly the free ones.
func TestSignInThrottleConcurrent(t *testing.T) {
	db := storetest.MustOpen(t)
	// A fixed clock: on a slow machine the first wait (1 s) could pass
	// while the burst is still arriving.
	now := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	db.Now = func() time.Time { return now }
	client := store.SignInClient{Addr: "203.0.113.9"}
	var passed atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for range 60 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			w, err := db.ReserveSignInAttempt(t.Context(), "x@y.test", client)
			if err != nil {
				t.Error(err)
				return
			}
			if w == 0 {
				passed.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if n := passed.Load(); n != store.ClientFreeFailures {
		t.Fatalf("%d of 60 concurrent attempts passed, want %d", n, store.ClientFreeFailures)
	}
}

func TestAudit(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	b := mustAccount(t, db, "Globex")
	u := mustUser(t, db, a.ID, "ann@acme.test", domain.RoleAdmin)
	if err := db.CreateAuditEvent(t.Context(), a.ID, &u.ID, "zoom.connected", "as owner"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAuditEvent(t.Context(), b.ID, nil, "zoom.uninstalled", ""); err != nil {
		t.Fatal(err)
	}
	ev, err := db.ListAuditEvents(t.Context(), a.ID, 10)
	if err != nil || len(ev) != 1 || ev[0].UserName != "ann" || ev[0].Action != "zoom.connected" {
		t.Fatalf("audit A = %+v, %v", ev, err)
	}
}

// TestPlaceholdersAreShared proves the shared SQL style: `$N` in ascending
// first use, reused freely, binds the same on SQLite (named) and
// PostgreSQL (positional).
func TestPlaceholdersAreShared(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	var a, b string
	var n int64
	err := db.Reader().QueryRowContext(t.Context(), `SELECT CAST($1 AS TEXT) || '-' || CAST($2 AS TEXT), CAST($1 AS TEXT), CAST($3 AS BIGINT) + CAST($3 AS BIGINT)`, "x", "y", int64(21)).Scan(&a, &b, &n)
	if err != nil || a != "x-y" || b != "x" || n != 42 {
		t.Fatalf("got %q %q %d, %v", a, b, n, err)
	}
}

// releasedMigrations are the migrations of the last release; a release
// adds its new ones here.
var releasedMigrations = []int64{1, 10, 20, 30, 60, 61, 80, 90, 100, 101, 102, 110, 111, 120, 121, 130, 131, 132, 140, 150, 151, 152, 153, 154, 155, 156, 157, 160, 170, 190, 200, 210, 220, 221, 230}

// A database the last release left behind upgrades: goose refuses to apply
// a migration numbered below one the database holds, so every migration
// added since must be numbered after the release's newest, or the server
// would not start.
func TestUpgradeFromLastRelease(t *testing.T) {
	t.Parallel()
	db, err := store.Open(t.Context(), storetest.URL(t), t.TempDir(), nil)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.MigrateOnly(t.Context(), releasedMigrations); err != nil {
		t.Fatal(err)
	}
	if v, err := db.MigrationVersion(t.Context()); err != nil || v != slices.Max(releasedMigrations) {
		t.Fatalf("after the last release's migrations: version %d, %v", v, err)
	}
	if err := db.Migrate(t.Context()); err != nil {
		t.Fatalf("upgrading a database of the last release: %v", err)
	}
}

// TestConcurrentMigrations starts several instances on one database at
// once, as a rolling deploy does: every one must come up.
func TestConcurrentMigrations(t *testing.T) {
	t.Parallel()
	url := storetest.URL(t)
	dir := t.TempDir()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			db, err := store.Open(context.Background(), url, dir, nil)
			if err != nil {
				errs[i] = err
				return
			}
			defer db.Close()
			errs[i] = db.Migrate(context.Background())
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("instance %d: %v", i, err)
		}
	}
}

// Unique violations are recognised by the driver's error code, so a NOT
// NULL failure or an error that merely mentions the words is not one.
func TestUniqueViolationByDriverCode(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	ctx := t.Context()
	exec := func(q string) error {
		return db.WriteTx(ctx, func(tx *store.Tx) error {
			_, err := tx.ExecContext(ctx, q)
			return err
		})
	}
	if err := exec(`CREATE TABLE unique_probe (k TEXT PRIMARY KEY, v TEXT UNIQUE, n TEXT NOT NULL)`); err != nil {
		t.Fatal(err)
	}
	if err := exec(`INSERT INTO unique_probe (k, v, n) VALUES ('a', 'x', '1')`); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, sql string
		unique    bool
	}{
		{"unique column", `INSERT INTO unique_probe (k, v, n) VALUES ('b', 'x', '1')`, true},
		{"primary key", `INSERT INTO unique_probe (k, v, n) VALUES ('a', 'y', '1')`, true},
		{"not null", `INSERT INTO unique_probe (k, v) VALUES ('c', 'z')`, false},
	} {
		err := exec(tt.sql)
		if err == nil {
			t.Fatalf("%s: insert succeeded", tt.name)
		}
		if got := store.IsUniqueViolation(err); got != tt.unique {
			t.Errorf("%s: IsUniqueViolation(%v) = %v, want %v", tt.name, err, got, tt.unique)
		}
		if got := store.IsUniqueViolation(fmt.Errorf("saving: %w", err)); got != tt.unique {
			t.Errorf("%s: wrapped: IsUniqueViolation = %v, want %v", tt.name, got, tt.unique)
		}
	}
	for _, text := range []string{"UNIQUE constraint failed: users.email", "ERROR: duplicate key value (SQLSTATE 23505)"} {
		if store.IsUniqueViolation(errors.New(text)) {
			t.Errorf("IsUniqueViolation(%q) = true for plain text", text)
		}
	}
}

// A not-found error keeps the driver's cause for logs and errors.Is.
func TestNotFoundKeepsCause(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	_, err := db.GetUser(t.Context(), a.ID, 424242)
	if !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("GetUser(missing) = %v, want not_found", err)
	}
	if !errors.Is(err, sql.ErrNoRows) {
		t.Errorf("GetUser(missing) = %v, cause sql.ErrNoRows lost", err)
	}
	if domain.ErrorMessage(err) != "Not found." {
		t.Errorf("user-facing message = %q", domain.ErrorMessage(err))
	}
}

// A new password ends every session of the user but the one that set it,
// and no one else's.
func TestUpdateUserPasswordEndsOtherSessions(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	a := mustAccount(t, db, "Acme")
	ann := mustUser(t, db, a.ID, "ann@acme.test", domain.RoleAdmin)
	bob := mustUser(t, db, a.ID, "bob@acme.test", domain.RoleScheduler)
	for _, s := range []store.Session{{TokenHash: "ann-laptop", UserID: ann.ID}, {TokenHash: "ann-phone", UserID: ann.ID}, {TokenHash: "bob", UserID: bob.ID}} {
		s.AccountID, s.ExpiresAt = a.ID, time.Now().Add(time.Hour)
		if err := db.CreateSession(t.Context(), s); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := db.UpdateUserPassword(t.Context(), a.ID, ann.ID, "new-hash", "ann-laptop"); err != nil || n != 1 {
		t.Fatalf("UpdateUserPassword = %d, %v; want 1 session ended", n, err)
	}
	for hash, live := range map[string]bool{"ann-laptop": true, "ann-phone": false, "bob": true} {
		if _, _, err := db.GetSessionUser(t.Context(), hash); (err == nil) != live {
			t.Errorf("session %s live = %v, want %v", hash, err == nil, live)
		}
	}
	// A reset by someone else keeps none.
	if n, err := db.UpdateUserPassword(t.Context(), a.ID, ann.ID, "newer-hash", ""); err != nil || n != 1 {
		t.Fatalf("reset = %d, %v; want 1 session ended", n, err)
	}
	if _, hash, _ := db.GetUserForSignIn(t.Context(), "ann@acme.test"); hash != "newer-hash" {
		t.Fatalf("hash = %q", hash)
	}
}
