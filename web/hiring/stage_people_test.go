package hiring_test

import (
	"encoding/json"
	"fmt"
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
	"interviewplanner/domain"
	"interviewplanner/store"
)

// TestStagePageOffersAPageOfPeople: the stage page lists each pool's
// members and one page of the company's other people to add, not every
// user of the account; a search and the "more people" link reach the rest.
func TestStagePageOffersAPageOfPeople(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	ctx := t.Context()
	acct, err := a.DB.GetAccountByName(ctx, "Acme")
	if err != nil {
		t.Fatal(err)
	}
	for i := range 120 {
		if _, err := a.DB.CreateUser(ctx, acct.ID, store.NewUser{Email: fmt.Sprintf("bulk%03d@example.com", i), Name: fmt.Sprintf("Bulk Interviewer %03d", i), Role: domain.RoleInterviewer}); err != nil {
			t.Fatal(err)
		}
	}
	far, err := a.DB.CreateUser(ctx, acct.ID, store.NewUser{Email: "zz@example.com", Name: "Zz Faraway", Role: domain.RoleInterviewer})
	if err != nil {
		t.Fatal(err)
	}
	// Zz sorts after every other name: a pool member is shown all the same.
	var stage map[string]any
	path := fmt.Sprintf("/api/v1/stages/%d", d.phoneStage)
	mustJSON(t, c.Get(path), 200, &stage)
	iv := stage["interviews"].([]any)[0].(map[string]any)
	iv["pool"] = append(iv["pool"].([]any), far.ID)
	body, _ := json.Marshal(stage)
	mustJSON(t, c.JSON("PUT", path, string(body)), 200, nil)
	pool := len(iv["pool"].([]any))

	boxes := regexp.MustCompile(`name="iv0_pool" value="(\d+)"( checked)?`)
	page := c.Get(fmt.Sprintf("/stages/%d", d.phoneStage))
	got := boxes.FindAllStringSubmatch(page.Body, -1)
	checked := 0
	for _, m := range got {
		if m[2] != "" {
			checked++
		}
	}
	if checked != pool {
		t.Errorf("%d pool members checked, want %d", checked, pool)
	}
	if len(got) > pool+50 || len(got) < 50 {
		t.Errorf("the first interview offers %d people; want its %d members and a page of 50", len(got), pool)
	}
	if !strings.Contains(page.Body, fmt.Sprintf(`value="%d" checked> Zz Faraway`, far.ID)) {
		t.Errorf("the pool member who sorts last is not shown checked")
	}
	if strings.Contains(page.Body, "Bulk Interviewer 119") {
		t.Errorf("the page offers all %d people at once", 120)
	}

	// Searching finds someone beyond the first page.
	found := c.Get(fmt.Sprintf("/stages/%d?people=%s", d.phoneStage, url.QueryEscape("interviewer 119")))
	if !strings.Contains(found.Body, "> Bulk Interviewer 119</label>") {
		t.Errorf("a search for interviewer 119 does not offer them")
	}
	// The next page continues by name.
	more := regexp.MustCompile(`href="(/stages/\d+\?people=&amp;after=[^"]+)">more people`).FindStringSubmatch(page.Body)
	if more == nil {
		t.Fatal("no link to more people")
	}
	next := c.Get(html.UnescapeString(more[1]))
	if next.StatusCode != 200 || !strings.Contains(next.Body, "Bulk Interviewer 119") && !strings.Contains(next.Body, "more people") {
		t.Errorf("the next page (%d) neither reaches the last people nor links further", next.StatusCode)
	}
	if strings.Contains(next.Body, "> "+firstOffered(t, page.Body)+"</label>") {
		t.Errorf("the next page repeats the first page's people")
	}
}

// firstOffered is the name of the first person offered who is not a
// member of the first interview's pool.
func firstOffered(t *testing.T, body string) string {
	t.Helper()
	ms := regexp.MustCompile(`name="iv0_pool" value="\d+" > ([^<]+)</label>`).FindAllStringSubmatch(body, -1)
	if len(ms) == 0 {
		t.Fatal("nobody offered")
	}
	return ms[0][1]
}
