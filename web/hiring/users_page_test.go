package hiring_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// TestAPIUsersPaged: GET /api/v1/users sends a page at a time, by name;
// following next visits every user once, and a bad limit is refused.
func TestAPIUsersPaged(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	type page struct {
		Users []struct {
			ID   int64  `json:"id"`
			Name string `json:"name"`
		} `json:"users"`
		Next string `json:"next"`
	}
	var all page
	mustJSON(t, c.Get("/api/v1/users?limit=200"), 200, &all)
	if all.Next != "" || len(all.Users) < 6 {
		t.Fatalf("one page of 200: %d users, next %q", len(all.Users), all.Next)
	}
	var seen []int64
	var names []string
	after, pages := "", 0
	for {
		var p page
		mustJSON(t, c.Get("/api/v1/users?limit=5&after="+url.QueryEscape(after)), 200, &p)
		pages++
		if len(p.Users) > 5 {
			t.Fatalf("page of %d users, limit 5", len(p.Users))
		}
		for _, u := range p.Users {
			seen = append(seen, u.ID)
			names = append(names, u.Name)
		}
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if len(seen) != len(all.Users) || pages != (len(all.Users)+4)/5 {
		t.Errorf("%d pages gave %d users; one page gives %d", pages, len(seen), len(all.Users))
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != len(all.Users) {
		t.Errorf("a user came twice")
	}
	if !slices.IsSortedFunc(names, func(x, y string) int { return strings.Compare(x, y) }) {
		t.Errorf("not by name: %v", names)
	}
	for _, bad := range []string{"limit=0", "limit=201", "limit=x", "after=nonsense"} {
		if res := c.Get("/api/v1/users?" + bad); res.StatusCode != 422 {
			t.Errorf("%s: status %d, want 422", bad, res.StatusCode)
		}
	}
}
