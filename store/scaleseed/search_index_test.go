package scaleseed_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
	"interviewplanner/store/scaleseed"
	"interviewplanner/store/storetest"
)

// searchMergeLeft runs one merge step of SQLite's candidate search index
// and reports whether it found segments to merge (FTS5 changes two rows or
// more when it does).
func searchMergeLeft(ctx context.Context, t *testing.T, db *store.DB) bool {
	t.Helper()
	conn, err := db.Writer().Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	total := func() int64 {
		var n int64
		if err := conn.QueryRowContext(ctx, `SELECT total_changes()`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	before := total()
	if _, err := conn.ExecContext(ctx, `INSERT INTO candidates_search (candidates_search, rank) VALUES ('merge', -1)`); err != nil {
		t.Fatal(err)
	}
	return total()-before >= 2
}

// TestOptimizeMergesSearchIndex: candidates added in several transactions
// leave the search index in several pieces; the statistics job merges them
// into one, and search finds the same candidates afterwards.
func TestOptimizeMergesSearchIndex(t *testing.T) {
	db := storetest.MustOpen(t)
	ctx := t.Context()
	var accounts []int64
	var word string
	for i := range 3 {
		acct, err := db.CreateAccount(ctx, fmt.Sprintf("Company %d", i))
		if err != nil {
			t.Fatal(err)
		}
		s, err := scaleseed.Seed(ctx, db, acct.ID, scaleseed.Size{Candidates: 300, Interviewers: 10, Schedules: 10, Interviews: 20, Meetings: 5}, "x", time.Now())
		if err != nil {
			t.Fatal(err)
		}
		accounts, word = append(accounts, acct.ID), s.SearchCommon
	}
	hs := hiringstore.New(db)
	search := func() []int64 {
		var ids []int64
		for _, a := range accounts {
			page, err := hs.ListCandidates(ctx, a, hiringstore.CandidateFilter{Search: word})
			if err != nil {
				t.Fatal(err)
			}
			for _, c := range page.Candidates {
				ids = append(ids, c.ID)
			}
		}
		return ids
	}
	found := search()
	if len(found) < 3*len(accounts) {
		t.Fatalf("%q found %v, want candidates in each of %d companies", word, found, len(accounts))
	}
	if db.Dialect == store.SQLite {
		// A step of one page merges part of the index, leaving work.
		if !searchMergeLeft(ctx, t, db) {
			t.Fatal("the index is in one piece before any merge; the test needs several")
		}
	}
	if err := db.Optimize(ctx); err != nil {
		t.Fatal(err)
	}
	if db.Dialect == store.SQLite && searchMergeLeft(ctx, t, db) {
		t.Error("the search index still has pieces to merge after Optimize")
	}
	if again := search(); fmt.Sprint(again) != fmt.Sprint(found) {
		t.Errorf("after Optimize %q finds %v, before %v", word, again, found)
	}
}
