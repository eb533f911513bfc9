package hiring_test

import (
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/browsertest"
	"interviewplanner/domain"
	"interviewplanner/store/responsestore"
)

// booked is a phone screen the admin confirmed through the API.
type booked struct {
	scheduleID, itemID int64
	interviewer        *domain.User
}

func bookPhoneScreen(t *testing.T, a *apptest.App, c *apptest.Client, key string) booked {
	t.Helper()
	d := mustDemo(t, c)
	var sc struct {
		ID    int64 `json:"id"`
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	mustJSON(t, c.JSON("POST", "/api/v1/schedules", scheduleBody(d.candidateID, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", key)), http.StatusCreated, &sc)
	admin, _, err := a.DB.GetUserForSignIn(t.Context(), "admin@example.com")
	if err != nil {
		t.Fatal(err)
	}
	users, err := a.DB.ListUsersByID(t.Context(), admin.AccountID, []int64{d.pool[0]})
	if err != nil || users[d.pool[0]] == nil {
		t.Fatalf("interviewer: %v", err)
	}
	return booked{scheduleID: sc.ID, itemID: sc.Items[0].ID, interviewer: users[d.pool[0]]}
}

// A decline reported by a calendar provider shows on the schedule page,
// by the interviewer's name, and on the coordinator's home page.
func TestDeclineShowsOnScheduleAndHomePage(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	b := bookPhoneScreen(t, a, c, "decline-1")
	iv := b.interviewer
	page := c.Get(fmt.Sprintf("/schedules/%d", b.scheduleID))
	if strings.Contains(page.Body, `id="declines"`) || strings.Contains(page.Body, "declined") {
		t.Fatal("the schedule page shows a decline before anyone declined")
	}
	if err := responsestore.New(a.DB).Record(t.Context(), iv.AccountID, b.itemID, "google",
		map[string]responsestore.Response{strings.ToUpper(iv.Email): "declined"}); err != nil {
		t.Fatal(err)
	}
	page = c.Get(fmt.Sprintf("/schedules/%d", b.scheduleID))
	if !strings.Contains(page.Body, `id="declines"`) || !strings.Contains(page.Body, "<strong>"+iv.Name+" declined</strong>") ||
		!strings.Contains(page.Body, `<span class="badge err answer">declined</span>`) {
		t.Fatalf("schedule page without %s's decline:\n%s", iv.Name, page.Body)
	}
	home := c.Get("/")
	if !strings.Contains(home.Body, iv.Name+" declined Phone screen") || !strings.Contains(home.Body, fmt.Sprintf(`href="/schedules/%d"`, b.scheduleID)) {
		t.Fatalf("home page without the decline:\n%s", home.Body)
	}
	// An interviewer's own home page has no coordinator notices.
	if h := a.SignIn(t, iv.Email).Get("/"); strings.Contains(h.Body, "declined") {
		t.Fatal("an interviewer's home page lists declines")
	}
}

// TestBrowserDeclineOnSchedulePage shows the decline at phone and desktop
// width.
func TestBrowserDeclineOnSchedulePage(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	bk := bookPhoneScreen(t, a, a.SignIn(t, "admin@example.com"), "decline-b")
	iv := bk.interviewer
	if err := responsestore.New(a.DB).Record(t.Context(), iv.AccountID, bk.itemID, "microsoft", map[string]responsestore.Response{iv.Email: "declined"}); err != nil {
		t.Fatal(err)
	}
	b := browsertest.New(t)
	b.SignIn(a.URL, "admin@example.com")
	for _, width := range []int64{390, 1280} {
		b.Do(chromedp.EmulateViewport(width, 900), chromedp.Navigate(fmt.Sprintf("%s/schedules/%d", a.URL, bk.scheduleID)), chromedp.WaitVisible(chromedp.CSS(`#declines`)))
		if s := b.Text(`#declines`); !strings.Contains(s, iv.Name+" declined") {
			t.Errorf("declines notice %q", s)
		}
		b.Screenshot(fmt.Sprintf("schedule-declined-%d", width))
		b.Do(chromedp.Navigate(a.URL+"/"), chromedp.WaitVisible(chromedp.CSS(`#home-notices`)))
		b.Screenshot(fmt.Sprintf("home-declined-%d", width))
	}
}
