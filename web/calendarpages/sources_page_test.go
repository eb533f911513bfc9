package calendarpages_test

import (
	"fmt"
	"html"
	"regexp"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/store/calendarstore"
)

// TestCalendarSourcesPaged: Integrations → Calendars lists the company's
// calendars a page at a time; following the pages shows each once, and a
// forged cursor is refused.
func TestCalendarSourcesPaged(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	ctx := t.Context()
	acct := mustAcme(t, a)
	priya, err := a.Main.DB.GetUserByEmail(ctx, acct, "priya@example.com")
	if err != nil {
		t.Fatal(err)
	}
	cs := calendarstore.New(a.Main.DB)
	for i := range 120 {
		if _, err := cs.CreateSource(ctx, calendarstore.NewSource{AccountID: acct, UserID: priya.ID, Kind: "feed", Name: fmt.Sprintf("Calendar %03d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	all, err := cs.ListSources(ctx, acct, calendarstore.SourceFilter{})
	if err != nil {
		t.Fatal(err)
	}
	admin := a.SignIn(t, "admin@example.com")
	row := regexp.MustCompile(`<tr class="source" id="source-(\d+)">`)
	next := regexp.MustCompile(`<a href="(/integrations/calendars\?after=[^"]+)" rel="next">`)
	seen := map[string]bool{}
	path, pages := "/integrations/calendars", 0
	for path != "" {
		res := admin.Get(path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: %d", path, res.StatusCode)
		}
		pages++
		ids := row.FindAllStringSubmatch(res.Body, -1)
		if len(ids) > 50 {
			t.Fatalf("a page of %d calendars, want at most 50", len(ids))
		}
		for _, m := range ids {
			if seen[m[1]] {
				t.Fatalf("calendar %s on two pages", m[1])
			}
			seen[m[1]] = true
		}
		path = ""
		if m := next.FindStringSubmatch(res.Body); m != nil {
			path = html.UnescapeString(m[1])
		}
	}
	if len(seen) != len(all) || pages != (len(all)+49)/50 {
		t.Errorf("%d pages showed %d calendars; the company has %d", pages, len(seen), len(all))
	}
	if res := admin.Get("/integrations/calendars?after=forged"); res.StatusCode != 422 {
		t.Errorf("a forged cursor: status %d, want 422", res.StatusCode)
	}
}
