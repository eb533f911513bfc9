package hiringstore_test

import (
	"context"
	"strings"
	"testing"

	"interviewplanner/domain"
	"interviewplanner/store"
	"interviewplanner/store/hiringstore"
)

// mustSeedCandidates adds n candidates to the fixture's job, spread over
// two stages and all statuses, in batches.
func mustSeedCandidates(tb testing.TB, f *fixture, n int) (stage2 int64) {
	tb.Helper()
	ctx := context.Background()
	st2, err := f.s.CreateStage(ctx, f.account.ID, domain.Stage{JobID: f.job.ID, Name: "Final"})
	if err != nil {
		tb.Fatal(err)
	}
	// One statement generates the rows inside the database.
	seq, pad := `WITH RECURSIVE seq(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM seq WHERE i < $1 - 1) `, `printf('%06d', i)`
	if f.s.DB.Dialect == store.Postgres {
		seq, pad = `WITH seq(i) AS (SELECT generate_series(0, CAST($1 AS INTEGER) - 1)) `, `lpad(i::text, 6, '0')`
	}
	name, email := `'Person ' || `+pad, `'p' || `+pad+` || '@scale.example'`
	_, err = f.s.DB.Writer().ExecContext(ctx, `INSERT INTO candidates (account_id, name, email, phone, time_zone, job_id, stage_id, status, search_text, created_at, updated_at) `+
		seq+`SELECT $2, `+name+`, `+email+`, '', 'UTC', $3, CASE WHEN i % 3 = 0 THEN CAST($4 AS BIGINT) ELSE CAST($5 AS BIGINT) END,
		CASE i % 4 WHEN 0 THEN 'active' WHEN 1 THEN 'hired' WHEN 2 THEN 'rejected' ELSE 'withdrawn' END,
		lower(`+name+` || ' ' || `+email+`), i, i FROM seq`, n, f.account.ID, f.job.ID, st2.ID, f.stage.ID)
	if err != nil {
		tb.Fatal(err)
	}
	if f.s.DB.Dialect == store.SQLite {
		if _, err := f.s.DB.Writer().ExecContext(ctx, `ANALYZE`); err != nil {
			tb.Fatal(err)
		}
	} else if _, err := f.s.DB.Writer().ExecContext(ctx, `ANALYZE candidates`); err != nil {
		tb.Fatal(err)
	}
	return st2.ID
}

// TestCandidateListAt100k pages through 100,000 candidates with filters
// and checks (on SQLite) that every query walks an index range instead of
// scanning and sorting the table.
func TestCandidateListAt100k(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 rows")
	}
	f := mustFixture(t)
	stage2 := mustSeedCandidates(t, f, 100_000)
	ctx := t.Context()
	filters := []hiringstore.CandidateFilter{
		{},
		{JobID: f.job.ID},
		{StageID: stage2},
		{Status: domain.CandidateHired},
		{StageID: stage2, Status: domain.CandidateRejected},
	}
	for _, flt := range filters {
		flt.Limit = 50
		page, err := f.s.ListCandidates(ctx, f.account.ID, flt)
		if err != nil || len(page.Candidates) != 50 || page.Next == 0 {
			t.Fatalf("%+v: %d rows, next %d, %v", flt, len(page.Candidates), page.Next, err)
		}
		// A deep page: the cursor halfway through.
		flt.Before = 50_000
		deep, err := f.s.ListCandidates(ctx, f.account.ID, flt)
		if err != nil || len(deep.Candidates) == 0 || deep.Candidates[0].ID >= 50_000+10 {
			t.Fatalf("deep page %+v: %v", flt, err)
		}
		for i := 1; i < len(deep.Candidates); i++ {
			if deep.Candidates[i].ID >= deep.Candidates[i-1].ID {
				t.Fatal("page not in id order")
			}
		}
	}
	found, err := f.s.ListCandidates(ctx, f.account.ID, hiringstore.CandidateFilter{Search: "p042424@"})
	if err != nil || len(found.Candidates) != 1 || found.Candidates[0].Name != "Person 042424" {
		t.Fatalf("search: %+v %v", found, err)
	}
	if f.s.DB.Dialect != store.SQLite {
		return
	}
	for _, where := range []string{"account_id = 1", "account_id = 1 AND job_id = 1", "account_id = 1 AND stage_id = 2", "account_id = 1 AND status = 'hired'"} {
		rows, err := f.s.DB.Reader().QueryContext(ctx, `EXPLAIN QUERY PLAN SELECT id FROM candidates WHERE `+where+` AND id < 50000 ORDER BY id DESC LIMIT 51`)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		joined := strings.Join(plan, "; ")
		if !strings.Contains(joined, "USING") || strings.Contains(joined, "TEMP B-TREE") {
			t.Errorf("%s: plan %q scans or sorts", where, joined)
		}
	}
}

func BenchmarkListCandidates100k(b *testing.B) {
	f := mustFixture(b)
	stage2 := mustSeedCandidates(b, f, 100_000)
	ctx := context.Background()
	cases := []struct {
		name string
		f    hiringstore.CandidateFilter
	}{
		{"first page", hiringstore.CandidateFilter{}},
		{"deep page", hiringstore.CandidateFilter{Before: 20_000}},
		{"stage and status", hiringstore.CandidateFilter{StageID: stage2, Status: domain.CandidateActive, Before: 60_000}},
		{"search", hiringstore.CandidateFilter{Search: "person 0999"}},
	}
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := f.s.ListCandidates(ctx, f.account.ID, c.f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestCandidateSearchText finds candidates by any part of a name, email or
// phone, follows renames, and takes quotes and short text without error.
func TestCandidateSearchText(t *testing.T) {
	t.Parallel()
	f := mustFixture(t)
	ctx := t.Context()
	mk := func(name, email string) *domain.Candidate {
		c, err := f.s.CreateCandidate(ctx, f.account.ID, domain.Candidate{Name: name, Email: email, TimeZone: "UTC", JobID: f.job.ID, StageID: f.stage.ID})
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	zoe := mk(`Zoë "Zed" Okonkwo`, "zoe@search.example")
	mk("Bob Brown", "bob@search.example")
	search := func(q string) []string {
		t.Helper()
		p, err := f.s.ListCandidates(ctx, f.account.ID, hiringstore.CandidateFilter{Search: q})
		if err != nil {
			t.Fatalf("search %q: %v", q, err)
		}
		var names []string
		for _, c := range p.Candidates {
			names = append(names, c.Name)
		}
		return names
	}
	for q, want := range map[string]int{"konk": 1, "OKONKWO": 1, `"zed"`: 1, "search.example": 2, "ob": 1, "z": 1, "nobody": 0, `"`: 1, "%": 0} {
		if got := search(q); len(got) != want {
			t.Errorf("search %q: %v, want %d", q, got, want)
		}
	}
	zoe.Name = "Zoë Adeyemi"
	if _, err := f.s.UpdateCandidate(ctx, f.account.ID, *zoe); err != nil {
		t.Fatal(err)
	}
	if got := search("okonkwo"); len(got) != 0 {
		t.Errorf("old name still found: %v", got)
	}
	if got := search("adeyemi"); len(got) != 1 {
		t.Errorf("new name not found: %v", got)
	}
}
