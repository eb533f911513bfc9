package hiring_test

import (
	"net/url"
	"slices"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// TestAPIPeoplePaged: GET /api/v1/users and /api/v1/interviewers send a
// page at a time, by name; following next visits every person once, and
// a bad limit or cursor is refused with a problem naming it.
func TestAPIPeoplePaged(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	for _, list := range []string{"users", "interviewers"} {
		t.Run(list, func(t *testing.T) { mustPageThrough(t, c, list) })
	}
}

type personPage struct {
	Users []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"users"`
	Interviewers []struct {
		ID   int64  `json:"id"`
		Name string `json:"name"`
	} `json:"interviewers"`
	Next string `json:"next"`
}

func (p *personPage) people() (ids []int64, names []string) {
	for _, u := range p.Users {
		ids, names = append(ids, u.ID), append(names, u.Name)
	}
	for _, u := range p.Interviewers {
		ids, names = append(ids, u.ID), append(names, u.Name)
	}
	return ids, names
}

func mustPageThrough(t *testing.T, c *apptest.Client, list string) {
	path := "/api/v1/" + list
	var all personPage
	mustJSON(t, c.Get(path+"?limit=200"), 200, &all)
	allIDs, _ := all.people()
	if all.Next != "" || len(allIDs) < 6 {
		t.Fatalf("one page of 200: %d people, next %q", len(allIDs), all.Next)
	}
	var seen []int64
	var names []string
	after, pages := "", 0
	for {
		var p personPage
		mustJSON(t, c.Get(path+"?limit=5&after="+url.QueryEscape(after)), 200, &p)
		pages++
		ids, ns := p.people()
		if len(ids) > 5 {
			t.Fatalf("page of %d people, limit 5", len(ids))
		}
		seen, names = append(seen, ids...), append(names, ns...)
		if p.Next == "" {
			break
		}
		after = p.Next
	}
	if len(seen) != len(allIDs) || pages != (len(allIDs)+4)/5 {
		t.Errorf("%d pages gave %d people; one page gives %d", pages, len(seen), len(allIDs))
	}
	slices.Sort(seen)
	if len(slices.Compact(seen)) != len(allIDs) {
		t.Errorf("a person came twice")
	}
	if !slices.IsSortedFunc(names, func(x, y string) int { return strings.Compare(x, y) }) {
		t.Errorf("not by name: %v", names)
	}
	for _, bad := range []string{"limit=0", "limit=201", "limit=x", "after=nonsense"} {
		field, _, _ := strings.Cut(bad, "=")
		if problem := problemJSON(t, c.Get(path+"?"+bad), 422); problem[field] == "" {
			t.Errorf("%s: the problem does not name %s: %v", bad, field, problem)
		}
	}
}
