package zoomstore_test

import (
	"errors"
	"testing"
	"time"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/storetest"
	"interviewplanner/store/zoomstore"
)

// mustAccount creates an account with one admin and returns their ids.
func mustAccount(tb testing.TB, db *store.DB, name, email string) (accountID, userID int64) {
	tb.Helper()
	a, u, err := db.CreateAccountWithAdmin(tb.Context(), name, store.NewUser{Email: email, Name: "Admin " + name, Role: domain.RoleAdmin})
	if err != nil {
		tb.Fatalf("create account: %v", err)
	}
	return a.ID, u.ID
}

func mustConnect(tb testing.TB, s *zoomstore.Store, accountID, userID int64, zoomAccount string) {
	tb.Helper()
	err := s.WriteTx(tb.Context(), func(tx *zoomstore.Tx) error {
		_, err := tx.CreateConnection(tb.Context(), accountID, zoomstore.NewConnection{ZoomAccountID: zoomAccount, ZoomUserID: "u1",
			ZoomUserEmail: "owner@zoom.example", ZoomUserRole: "Owner", ConnectedBy: userID,
			Tokens: zoomstore.Tokens{KeyID: "k1", Access: []byte("sealed-a"), Refresh: []byte("sealed-r"), Expiry: time.Now().Add(time.Hour)}})
		return err
	})
	if err != nil {
		tb.Fatalf("connect: %v", err)
	}
}

func TestConnectionLifecycle(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	s := zoomstore.New(db)
	acme, ada := mustAccount(t, db, "Acme", "ada@acme.example")
	globex, _ := mustAccount(t, db, "Globex", "g@globex.example")
	ctx := t.Context()

	if _, err := s.GetConnection(ctx, acme); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("before connect: err = %v, want ENOTFOUND", err)
	}
	mustConnect(t, s, acme, ada, "ZA1")
	c, err := s.GetConnection(ctx, acme)
	if err != nil {
		t.Fatal(err)
	}
	if c.State != zoomstore.StateConnected || c.ZoomAccountID != "ZA1" || c.ConnectedByName != "Admin Acme" {
		t.Fatalf("connection = %+v", c)
	}
	if _, err := s.GetConnection(ctx, globex); !domain.IsCode(err, domain.ENOTFOUND) {
		t.Fatalf("other account sees a connection: %v", err)
	}
	found, err := s.ListConnectionsByZoomAccount(ctx, "ZA1")
	if err != nil || len(found) != 1 || found[0].AccountID != acme {
		t.Fatalf("by zoom account: %v %v", found, err)
	}

	tok, state, err := s.GetTokens(ctx, acme)
	if err != nil || state != zoomstore.StateConnected || string(tok.Refresh) != "sealed-r" {
		t.Fatalf("tokens = %+v %q %v", tok, state, err)
	}

	// Saving against a stale version is refused; against the current one works.
	var saved, stale bool
	err = s.WriteTx(ctx, func(tx *zoomstore.Tx) error {
		var err error
		if stale, err = tx.UpdateTokens(ctx, acme, tok.Version-1, zoomstore.Tokens{KeyID: "k1", Access: []byte("x"), Refresh: []byte("y")}); err != nil {
			return err
		}
		saved, err = tx.UpdateTokens(ctx, acme, tok.Version, zoomstore.Tokens{KeyID: "k1", Access: []byte("a2"), Refresh: []byte("r2"), Expiry: time.Now()})
		return err
	})
	if err != nil || stale || !saved {
		t.Fatalf("save tokens: stale=%v saved=%v err=%v", stale, saved, err)
	}

	// Ending is idempotent.
	for i, want := range []bool{true, false} {
		var changed bool
		err := s.WriteTx(ctx, func(tx *zoomstore.Tx) error {
			var err error
			changed, err = tx.End(ctx, acme, zoomstore.ReasonUninstalled, time.Now())
			return err
		})
		if err != nil || changed != want {
			t.Fatalf("end #%d: changed=%v err=%v", i, changed, err)
		}
	}
	tok, state, err = s.GetTokens(ctx, acme)
	if err != nil || state != zoomstore.StateDisconnected || tok.Access != nil || tok.Refresh != nil {
		t.Fatalf("after end: %+v %q %v", tok, state, err)
	}
	c, _ = s.GetConnection(ctx, acme)
	if c.DisconnectReason != zoomstore.ReasonUninstalled || c.DisconnectedAt == nil {
		t.Fatalf("after end: %+v", c)
	}
}

func TestDirectory(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	s := zoomstore.New(db)
	acme, ada := mustAccount(t, db, "Acme", "ada@acme.example")
	globex, _ := mustAccount(t, db, "Globex", "g@globex.example")
	mustConnect(t, s, acme, ada, "ZA1")
	ctx := t.Context()
	users := []zoomstore.User{{ZoomUserID: "u1", Email: "b@x.example", Name: "B"}, {ZoomUserID: "u2", Email: "a@x.example", Name: "A"}}
	rooms := []zoomstore.Room{{ZoomRoomID: "r1", Name: "Board room"}}
	for range 2 { // replacing twice keeps one copy
		if err := s.WriteTx(ctx, func(tx *zoomstore.Tx) error { return tx.ReplaceDirectory(ctx, acme, users, rooms) }); err != nil {
			t.Fatal(err)
		}
	}
	got, err := s.ListUsers(ctx, acme)
	if err != nil || len(got) != 2 || got[0].Email != "a@x.example" {
		t.Fatalf("users = %v, %v", got, err)
	}
	first, total, err := s.ListFirstUsers(ctx, acme, 1)
	if err != nil || total != 2 || len(first) != 1 || first[0].Email != "a@x.example" {
		t.Fatalf("first user = %v of %d, %v; want a@x.example of 2", first, total, err)
	}
	gotRooms, err := s.ListRooms(ctx, acme)
	if err != nil || len(gotRooms) != 1 {
		t.Fatalf("rooms = %v, %v", gotRooms, err)
	}
	if other, _ := s.ListUsers(ctx, globex); len(other) != 0 {
		t.Fatalf("Globex sees Acme's Zoom users: %v", other)
	}
	c, _ := s.GetConnection(ctx, acme)
	if c.UsersCount != 2 || c.RoomsCount != 1 || c.SyncedAt == nil {
		t.Fatalf("counts: %+v", c)
	}
}

func TestOAuthState(t *testing.T) {
	t.Parallel()
	db := storetest.MustOpen(t)
	s := zoomstore.New(db)
	acme, ada := mustAccount(t, db, "Acme", "ada@acme.example")
	globex, _ := mustAccount(t, db, "Globex", "g@globex.example")
	ctx := t.Context()
	mk := func(hash string, expires time.Time) {
		t.Helper()
		if err := s.States().Create(ctx, hash, store.OAuthState{AccountID: acme, UserID: ada, SessionHash: "sess", CodeVerifier: "v", ExpiresAt: expires}); err != nil {
			t.Fatal(err)
		}
	}
	mk("good", time.Now().Add(10*time.Minute))
	mk("old", time.Now().Add(-time.Second))
	tests := []struct {
		name          string
		account       int64
		hash, session string
		want          error
	}{
		{"other account", globex, "good", "sess", store.ErrStateUnknown},
		{"other session", acme, "good", "other", store.ErrStateForeign},
		{"unknown", acme, "nope", "sess", store.ErrStateUnknown},
		{"expired", acme, "old", "sess", store.ErrStateExpired},
		{"first use", acme, "good", "sess", nil},
		{"reuse", acme, "good", "sess", store.ErrStateUsed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st, err := s.States().Consume(ctx, tt.account, tt.hash, tt.session)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			if tt.want == nil && (st.UserID != ada || st.CodeVerifier != "v") {
				t.Fatalf("state = %+v", st)
			}
		})
	}
}
