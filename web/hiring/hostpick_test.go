package hiring_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"interviewplanner/app/apptest"
)

// mustMatchOpenAPI validates one real response against the served
// OpenAPI document.
func mustMatchOpenAPI(t *testing.T, c *apptest.Client, method, path, body string, res apptest.Response) {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData([]byte(c.Get("/api/v1/openapi.json").Body))
	if err != nil {
		t.Fatal(err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://api.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	req, _ := http.NewRequest(method, "http://api.test"+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s: not in the document: %v", method, path, err)
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader([]byte(res.Body))),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(t.Context(), in); err != nil {
		t.Fatalf("%s %s -> %d: the response does not match the document: %v\n%s", method, path, res.StatusCode, err, res.Body)
	}
}

// The coordinator picks the host of an interview from the account's Zoom
// users, through the API and on the scheduling form; a host that is not a
// user of the connected Zoom account is refused and nothing changes.
func TestCoordinatorPicksTheZoomHost(t *testing.T) {
	t.Parallel()
	z := startZoom(t)
	res := z.admin.Get("/api/v1/zoom/hosts")
	mustMatchOpenAPI(t, z.admin, "GET", "/api/v1/zoom/hosts", "", res)
	var hosts struct {
		Hosts []struct {
			ID      string `json:"id"`
			Email   string `json:"email"`
			Default bool   `json:"default"`
		} `json:"hosts"`
	}
	mustJSON(t, res, 200, &hosts)
	interviewerHost := z.zoomUserOf(t, z.d.pool[0])
	var sawOwner, sawInterviewer bool
	for _, h := range hosts.Hosts {
		sawOwner = sawOwner || (h.ID == z.owner && h.Default)
		sawInterviewer = sawInterviewer || h.ID == interviewerHost
	}
	if !sawOwner || !sawInterviewer {
		t.Fatalf("hosts = %+v", hosts.Hosts)
	}
	// Picked through the API: the Owner hosts, not the interviewer.
	body := fmt.Sprintf(`{"candidate_id":%d,"accept_warnings":true,"items":[{"interview_id":%d,"start":"2030-03-07T15:00:00Z","interviewers":[%d],"host_id":%q}]}`,
		z.d.candidateID, z.d.phoneInterview, z.d.pool[0], z.owner)
	sc := z.mustCreate(t, body)
	z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	if ms := z.meetings(t); len(ms) != 1 || ms[0].HostID != z.owner {
		t.Fatalf("Zoom holds %+v, want one meeting hosted by the Owner", ms)
	}
	path := fmt.Sprintf("/api/v1/schedules/%d", sc.ID)
	got := z.admin.Get(path)
	mustMatchOpenAPI(t, z.admin, "GET", path, "", got)
	if !strings.Contains(got.Body, fmt.Sprintf(`"host_id": %q`, z.owner)) {
		t.Fatalf("the API does not show the picked host: %s", got.Body)
	}
	// A host that is not a Zoom user of this account: a clear error, nothing saved.
	bad := z.admin.JSON("PUT", path, fmt.Sprintf(`{"accept_warnings":true,"items":[{"item_id":%d,"interview_id":%d,"start":"2030-03-07T15:00:00Z","interviewers":[%d],"host_id":"nobody"}]}`,
		sc.Items[0].ID, z.d.phoneInterview, z.d.pool[0]))
	if bad.StatusCode != 422 || !strings.Contains(bad.Body, "not a user of the connected Zoom account") {
		t.Fatalf("a foreign host: %d %s", bad.StatusCode, bad.Body)
	}
	// On the form: the picked host is selected; picking the interviewer's
	// own Zoom user moves the meeting to them.
	form := z.admin.Get(fmt.Sprintf("/schedules/%d/edit", sc.ID))
	sel := regexp.MustCompile(`<select name="(p\d+_host)">`).FindStringSubmatch(form.Body)
	if sel == nil || !regexp.MustCompile(`<option value="`+regexp.QuoteMeta(z.owner)+`" selected>`).MatchString(form.Body) {
		t.Fatalf("the form has no host picker with the Owner selected:\n%s", form.Body)
	}
	prefix := strings.TrimSuffix(sel[1], "host")
	v := url.Values{"zone": {"UTC"}, "video": {"on"}, "accept": {"on"}, "action": {"confirm"},
		prefix + "place": {"on"}, prefix + "date": {"2030-03-07"}, prefix + "time": {"15:00"},
		prefix + "interviewers": {fmt.Sprint(z.d.pool[0])}, prefix + "host": {interviewerHost}}
	if res := z.admin.PostForm(fmt.Sprintf("/schedules/%d", sc.ID), v); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("save the form: %d %s", res.StatusCode, res.Body)
	}
	apptest.WaitFor(t, "the meeting under the interviewer's Zoom user", func() bool {
		ms := z.meetings(t)
		return len(ms) == 1 && ms[0].HostID == interviewerHost
	})
	z.waitMeetings(t, sc.ID, "created", 30*time.Second)
	if page := z.admin.Get(fmt.Sprintf("/schedules/%d", sc.ID)).Body; !strings.Contains(page, "Host: ") {
		t.Fatal("the schedule page does not name the host")
	}
}
