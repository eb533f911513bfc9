package hiring_test

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"interviewplanner/app/apptest"
	"interviewplanner/app/apptest/openapitest"
)

// TestOpenAPIDescribesRealResponses sends real requests and validates each
// response (successes and problems) against /api/v1/openapi.json.
func TestOpenAPIDescribesRealResponses(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	doc := openapitest.Load(t, c)
	d := mustDemo(t, c)
	var sc struct {
		ID    int64 `json:"id"`
		Items []struct {
			ID int64 `json:"id"`
		} `json:"items"`
	}
	mustJSON(t, c.JSON("POST", "/api/v1/schedules", scheduleBody(d.candidateID, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", "oa-1")), 201, &sc)
	stage := `{"name":"Take-home","position":3,"video":"zoom","meeting_mode":"per_schedule","buffer_minutes":5,"allowed_start":"08:00","allowed_end":"18:00","earliest_day_offset":1,"latest_day_offset":10,"interviews":[{"name":"Review","duration_minutes":45,"interviewers_needed":1,"pool":[],"room_required":false,"position":0}]}`
	calls := []struct{ method, path, body string }{
		{"GET", "/api/v1/jobs", ""},
		{"POST", "/api/v1/jobs", `{"title":"Data Engineer"}`},
		{"POST", "/api/v1/jobs", `{"title":""}`},
		{"GET", fmt.Sprintf("/api/v1/jobs/%d", d.jobID), ""},
		{"GET", "/api/v1/jobs/999999", ""},
		{"PATCH", fmt.Sprintf("/api/v1/jobs/%d", d.jobID), `{"status":"open"}`},
		{"POST", fmt.Sprintf("/api/v1/jobs/%d/stages", d.jobID), stage},
		{"GET", fmt.Sprintf("/api/v1/stages/%d", d.phoneStage), ""},
		{"GET", "/api/v1/interviewers", ""},
		{"GET", fmt.Sprintf("/api/v1/interviewers/%d", d.pool[0]), ""},
		{"PUT", fmt.Sprintf("/api/v1/interviewers/%d", d.pool[0]), `{"time_zone":"Europe/London","working_hours":{"monday":"09:00-12:00, 13:00-17:00"},"max_per_day":3,"max_per_week":8}`},
		{"GET", "/api/v1/candidates?limit=5", ""},
		{"GET", "/api/v1/candidates?q=example&status=active", ""},
		{"POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Lin Wu","email":"lin@example.net","phone":"+44 20 1234","time_zone":"Europe/London","job_id":%d}`, d.jobID)},
		{"POST", "/api/v1/candidates", `{"name":"","email":"x"}`},
		{"GET", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID), ""},
		{"PATCH", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID), `{"phone":"+1 555 0100","availability":[{"start":"2030-03-05T13:00:00Z","end":"2030-03-05T21:00:00Z"}]}`},
		{"PATCH", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID), `{"availability":[{"start":"2030-03-05T13:00:00Z","end":"2030-03-05T12:00:00Z"}]}`},
		{"GET", fmt.Sprintf("/api/v1/candidates/%d/schedules", d.candidateID), ""},
		{"POST", "/api/v1/schedules/check", scheduleBody(d.candidate2, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", "")},
		{"POST", "/api/v1/schedules", scheduleBody(d.candidate2, d.phoneInterview, d.pool[0], "2030-03-05T15:00:00Z", "oa-2")},
		{"GET", fmt.Sprintf("/api/v1/schedules/%d", sc.ID), ""},
		{"GET", "/api/v1/rooms", ""},
		{"GET", "/api/v1/me", ""},
		{"GET", "/api/v1/users", ""},
		{"GET", "/api/v1/users?limit=2", ""},
		{"GET", "/api/v1/users?limit=0", ""},
		{"GET", "/api/v1/interviewers?limit=2", ""},
		{"GET", fmt.Sprintf("/api/v1/users/%d", d.pool[0]), ""},
		{"GET", "/api/v1/users/999999", ""},
		{"PATCH", fmt.Sprintf("/api/v1/users/%d", d.pool[0]), `{"active":true}`},
		{"PATCH", fmt.Sprintf("/api/v1/users/%d", d.pool[0]), `{"role":"boss"}`},
		{"POST", "/api/v1/invitations", `{"email":"new.person@example.com","role":"interviewer"}`},
		{"POST", "/api/v1/invitations", `{"email":"not-an-email","role":"interviewer"}`},
		{"GET", "/api/v1/integrations/zoom", ""},
		{"DELETE", fmt.Sprintf("/api/v1/schedules/%d/items/%d", sc.ID, sc.Items[0].ID), ""},
		{"POST", fmt.Sprintf("/api/v1/schedules/%d/cancel", sc.ID), ""},
	}
	for _, call := range calls {
		res := c.JSON(call.method, call.path, call.body)
		doc.Check(t, call.method, call.path, call.body, res)
	}
}

// TestOpenAPIDescribesLoopRules checks the requests and responses that
// carry the longest gap, the lunch break and preferred hours against the
// document, and that the document describes those fields.
func TestOpenAPIDescribesLoopRules(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	doc, err := openapi3.NewLoader().LoadFromData([]byte(c.Get("/api/v1/openapi.json").Body))
	if err != nil {
		t.Fatal(err)
	}
	if err := doc.Validate(t.Context()); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	for schema, props := range map[string][]string{
		"Stage":            {"max_gap_minutes", "lunch_minutes", "lunch_start", "lunch_end"},
		"Interviewer":      {"preferred_start", "preferred_end"},
		"InterviewerInput": {"preferred_start", "preferred_end"},
		"Candidate":        {"preferred_start", "preferred_end"},
		"CandidateInput":   {"preferred_start", "preferred_end"},
	} {
		for _, p := range props {
			if doc.Components.Schemas[schema].Value.Properties[p] == nil {
				t.Errorf("schema %s lacks %s", schema, p)
			}
		}
	}
	doc.Servers = openapi3.Servers{{URL: "http://api.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	d := mustDemo(t, c)
	stage := `{"name":"Onsite","position":2,"video":"off","meeting_mode":"per_interview","buffer_minutes":10,"allowed_start":"08:00","allowed_end":"19:00",
		"earliest_day_offset":0,"latest_day_offset":21,"max_gap_minutes":%d,"lunch_minutes":45,"lunch_start":"11:30","lunch_end":"13:30","interviews":[]}`
	calls := []struct {
		method, path, body string
		status             int
	}{
		{"GET", fmt.Sprintf("/api/v1/stages/%d", d.onsiteStage), "", 200},
		{"POST", fmt.Sprintf("/api/v1/jobs/%d/stages", d.jobID), fmt.Sprintf(stage, 60), 201},
		{"PUT", fmt.Sprintf("/api/v1/stages/%d", d.onsiteStage), fmt.Sprintf(stage, 30), 422},
		{"PUT", fmt.Sprintf("/api/v1/interviewers/%d", d.pool[0]), `{"time_zone":"Europe/London","working_hours":{"monday":"09:00-17:00"},"preferred_start":"09:00","preferred_end":"12:00"}`, 200},
		{"PUT", fmt.Sprintf("/api/v1/interviewers/%d", d.pool[0]), `{"time_zone":"Europe/London","working_hours":{},"preferred_start":"12:00","preferred_end":"09:00"}`, 422},
		{"GET", fmt.Sprintf("/api/v1/interviewers/%d", d.pool[0]), "", 200},
		{"POST", "/api/v1/candidates", fmt.Sprintf(`{"name":"Lin Wu","email":"lin@example.net","time_zone":"Europe/London","job_id":%d,"preferred_start":"09:00","preferred_end":"12:00"}`, d.jobID), 201},
		{"PATCH", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID), `{"preferred_start":"14:00","preferred_end":"18:00"}`, 200},
		{"PATCH", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID), `{"preferred_start":"19:00"}`, 422},
		{"GET", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID), "", 200},
	}
	for _, call := range calls {
		res := c.JSON(call.method, call.path, call.body)
		if res.StatusCode != call.status {
			t.Errorf("%s %s: %d, want %d: %s", call.method, call.path, res.StatusCode, call.status, res.Body)
		}
		req, _ := http.NewRequest(call.method, "http://api.test"+call.path, strings.NewReader(call.body))
		if call.body != "" {
			req.Header.Set("Content-Type", "application/json")
		}
		route, params, err := router.FindRoute(req)
		if err != nil {
			t.Errorf("%s %s: not in the document: %v", call.method, call.path, err)
			continue
		}
		reqIn := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
		if err := openapi3filter.ValidateRequest(t.Context(), reqIn); err != nil {
			t.Errorf("%s %s: the request does not match the document: %v", call.method, call.path, err)
		}
		in := &openapi3filter.ResponseValidationInput{RequestValidationInput: reqIn,
			Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader([]byte(res.Body))),
			Options: &openapi3filter.Options{IncludeResponseStatus: true}}
		if err := openapi3filter.ValidateResponse(t.Context(), in); err != nil {
			t.Errorf("%s %s -> %d: response does not match the document: %v\n%s", call.method, call.path, res.StatusCode, err, res.Body)
		}
	}
}
