package web_test

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// Inviting someone who uses InterviewPlanner at another company answers
// exactly as inviting a stranger: the invite is created, and only the
// owner of the address learns on accepting that it is taken.
func TestInvitationsDoNotRevealOtherCompaniesUsers(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	admin := a.SignIn(t, "admin@example.com")
	link := regexp.MustCompile(`http://[^\s<"]+/invitations/[A-Za-z0-9_-]+`)
	answer := func(email string) (int, string) {
		res := admin.PostForm("/users/invitations", url.Values{"email": {email}, "role": {"interviewer"}})
		return res.StatusCode, res.Body
	}
	strangerStatus, strangerBody := answer("stranger@elsewhere.example")
	globexStatus, globexBody := answer("admin@globex.example")
	if globexStatus != strangerStatus || globexStatus != http.StatusOK {
		t.Fatalf("inviting another company's user: %d, a stranger: %d", globexStatus, strangerStatus)
	}
	if strings.Contains(globexBody, "already") || !strings.Contains(globexBody, "Invitation created") || !strings.Contains(strangerBody, "Invitation created") {
		t.Fatal("the answer for another company's user differs from a stranger's")
	}
	for _, body := range []string{
		admin.JSON(http.MethodPost, "/api/v1/invitations", `{"email":"admin@globex.example","role":"interviewer"}`).Body,
	} {
		if strings.Contains(body, "already") || !strings.Contains(body, `"link"`) {
			t.Fatalf("API invite of another company's user: %s", body)
		}
	}
	// The address's owner, accepting, is told; nothing is created.
	res := admin.PostForm("/users/invitations", url.Values{"email": {"admin@globex.example"}, "role": {"interviewer"}})
	path := strings.TrimPrefix(link.FindString(res.Body), a.URL)
	guest := a.NewClient(t)
	acc := guest.PostForm(path, url.Values{"name": {"Other"}, "time_zone": {"UTC"}, "password": {"a good password"}, "password_confirm": {"a good password"}})
	if acc.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(acc.Body, "already has an InterviewPlanner account") {
		t.Fatalf("accepting with a taken address: %d", acc.StatusCode)
	}
	if u, _, err := a.DB.GetUserForSignIn(t.Context(), "admin@globex.example"); err != nil || u.AccountID == mustAccountID(t, a, "admin@example.com") {
		t.Fatalf("the Globex admin moved or vanished: %v", err)
	}
	// A user of one's own company is still named as such.
	if res := admin.PostForm("/users/invitations", url.Values{"email": {"priya@example.com"}, "role": {"interviewer"}}); res.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("inviting a colleague: %d", res.StatusCode)
	}
}
