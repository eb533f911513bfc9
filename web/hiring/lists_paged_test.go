package hiring_test

import (
	"encoding/json"
	"html"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/store/scaleseed"
)

// listPageSize is how many rows the long lists show at a time, as My
// interviews does.
const listPageSize = 25

var nextPageLink = regexp.MustCompile(`href="([^"]+)" rel="next">Next page`)

// TestLongListsShow25AtATime: the candidates, interviewers and users pages
// and their API lists send 25 rows at a time by default; following the
// next-page links (or cursors) visits every row once, as one page of 200
// lists them, and an explicit limit still gives larger pages.
func TestLongListsShow25AtATime(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	acct, err := a.DB.GetAccountByName(t.Context(), "Acme")
	if err != nil {
		t.Fatal(err)
	}
	_, hash, err := a.DB.GetUserForSignIn(t.Context(), "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	size := scaleseed.Size{Candidates: 70, Interviewers: 60, Schedules: 10, Interviews: 10, Meetings: 10}
	if _, err := scaleseed.Seed(t.Context(), a.DB, acct.ID, size, hash, time.Now()); err != nil {
		t.Fatal(err)
	}
	c := a.SignIn(t, "admin@example.com")

	ids := func(t *testing.T, path, key string) []int64 {
		var body map[string]json.RawMessage
		mustJSON(t, c.Get(path), 200, &body)
		var rows []struct {
			ID int64 `json:"id"`
		}
		if err := json.Unmarshal(body[key], &rows); err != nil {
			t.Fatal(err)
		}
		var out []int64
		for _, x := range rows {
			out = append(out, x.ID)
		}
		return out
	}
	for _, tt := range []struct {
		page string
		row  *regexp.Regexp
		api  string // the API twin
		key  string
	}{
		{"/candidates", regexp.MustCompile(`<tr><td data-label="Name"><a href="/candidates/(\d+)">`), "/api/v1/candidates", "candidates"},
		{"/interviewers", regexp.MustCompile(`<tr><td data-label="Name"><a href="/interviewers/(\d+)">`), "/api/v1/interviewers", "interviewers"},
		{"/users", regexp.MustCompile(`<tr id="user-(\d+)">`), "/api/v1/users", "users"},
	} {
		t.Run(tt.page, func(t *testing.T) {
			all := ids(t, tt.api+"?limit=200", tt.key)
			if len(all) <= 2*listPageSize || len(all) >= 200 {
				t.Fatalf("%d rows in one page of 200; the test needs three pages and fewer than 200", len(all))
			}
			slices.Sort(all)
			wantPages := (len(all) + listPageSize - 1) / listPageSize

			// The page, following its Next page links.
			var seen []int64
			path, pages := tt.page, 0
			for path != "" {
				res := c.Get(path)
				if res.StatusCode != 200 {
					t.Fatalf("%s: status %d", path, res.StatusCode)
				}
				pages++
				rows := tt.row.FindAllStringSubmatch(res.Body, -1)
				if n := len(rows); n == 0 || n > listPageSize || n < listPageSize && pages < wantPages {
					t.Errorf("page %d shows %d rows, want %d (fewer only on the last)", pages, n, listPageSize)
				}
				for _, m := range rows {
					id, _ := strconv.ParseInt(m[1], 10, 64)
					seen = append(seen, id)
				}
				path = ""
				if m := nextPageLink.FindStringSubmatch(res.Body); m != nil {
					path = html.UnescapeString(m[1])
				}
				if pages > wantPages+1 {
					t.Fatal("pages do not end")
				}
			}
			slices.Sort(seen)
			if pages != wantPages || !slices.Equal(seen, all) {
				t.Errorf("%d pages showed %d rows (%d distinct); want %d pages of the %d rows", pages, len(seen), len(slices.Compact(slices.Clone(seen))), wantPages, len(all))
			}

			// The API twin, without a limit, following its cursor.
			seen, pages = nil, 0
			cursor := ""
			for {
				q := url.Values{}
				if cursor != "" {
					if tt.key == "candidates" {
						q.Set("cursor", cursor)
					} else {
						q.Set("after", cursor)
					}
				}
				var body map[string]json.RawMessage
				mustJSON(t, c.Get(tt.api+"?"+q.Encode()), 200, &body)
				var rows []struct {
					ID int64 `json:"id"`
				}
				if err := json.Unmarshal(body[tt.key], &rows); err != nil {
					t.Fatal(err)
				}
				pages++
				if n := len(rows); n == 0 || n > listPageSize || n < listPageSize && pages < wantPages {
					t.Errorf("API page %d has %d rows, want %d (fewer only on the last)", pages, n, listPageSize)
				}
				for _, r := range rows {
					seen = append(seen, r.ID)
				}
				next := body["next"]
				if tt.key == "candidates" {
					next = body["next_cursor"]
				}
				if next == nil {
					break
				}
				if err := json.Unmarshal(next, &cursor); err != nil {
					t.Fatal(err)
				}
				if pages > wantPages+1 {
					t.Fatal("API pages do not end")
				}
			}
			slices.Sort(seen)
			if pages != wantPages || !slices.Equal(seen, all) {
				t.Errorf("the API's %d pages gave %d rows; want %d pages of the %d rows", pages, len(seen), wantPages, len(all))
			}
			if got := ids(t, tt.api+"?limit=40", tt.key); len(got) != 40 {
				t.Errorf("limit=40 gave %d rows", len(got))
			}
		})
	}
}
