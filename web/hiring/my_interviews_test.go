package hiring_test

import (
	"html"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"interviewplanner/app/apptest"
	"interviewplanner/store/hiringstore"
)

var (
	myInterviewRow = regexp.MustCompile(`<tr><td data-label="When`)
	laterLink      = regexp.MustCompile(`href="(/my/interviews\?after=[^"]+)" rel="next">Later interviews`)
)

// TestMyInterviewsPaged: a busy interviewer's My interviews shows 25
// interviews at a time, soonest first, with a link to the later ones;
// following the links shows each upcoming interview once.
func TestMyInterviewsPaged(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	account, seeded := a.SeedBusy(t, 400)
	all, err := hiringstore.New(a.DB).ListInterviewerItems(t.Context(), account, seeded.InterviewerID, time.Now().Add(-2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) <= 50 {
		t.Fatalf("the seeded interviewer has %d upcoming interviews; the test needs three pages", len(all))
	}
	c := a.SignIn(t, seeded.InterviewerEmail)
	path, pages, rows := "/my/interviews", 0, 0
	for path != "" {
		res := c.Get(path)
		if res.StatusCode != 200 {
			t.Fatalf("%s: status %d", path, res.StatusCode)
		}
		pages++
		n := len(myInterviewRow.FindAllString(res.Body, -1))
		if n == 0 || n > 25 {
			t.Errorf("page %d shows %d interviews, want 1 to 25", pages, n)
		}
		rows += n
		if later := strings.Contains(res.Body, `href="/my/interviews">Soonest interviews`); later != (pages > 1) {
			t.Errorf("page %d: link to the soonest interviews shown %v", pages, later)
		}
		path = ""
		if m := laterLink.FindStringSubmatch(res.Body); m != nil {
			path = html.UnescapeString(m[1])
		}
		if pages > 10 {
			t.Fatal("pages do not end")
		}
	}
	if want := (len(all) + 24) / 25; rows != len(all) || pages != want {
		t.Errorf("%d pages showed %d interviews; want %d pages of the %d upcoming", pages, rows, want, len(all))
	}
	for _, bad := range []string{"nonsense", url.QueryEscape("MTIzLjA")} {
		if res := c.Get("/my/interviews?after=" + bad); res.StatusCode != 422 {
			t.Errorf("after=%s: status %d, want 422", bad, res.StatusCode)
		}
	}
}
