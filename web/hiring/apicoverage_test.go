package hiring_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"

	"interviewplanner/app/apptest"
)

// Every /api/v1 route the web packages register is in the OpenAPI
// document, with its method.
func TestOpenAPICoversEveryRoute(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("openapi.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Paths map[string]map[string]json.RawMessage `json:"paths"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	route := regexp.MustCompile(`"(GET|POST|PUT|PATCH|DELETE) (/api/v1/[^"]+)"`)
	seen := 0
	err = filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		for _, m := range route.FindAllStringSubmatch(string(src), -1) {
			seen++
			if _, ok := doc.Paths[m[2]][strings.ToLower(m[1])]; !ok {
				t.Errorf("%s registers %s %s, which the OpenAPI document does not describe", path, m[1], m[2])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen < 20 {
		t.Fatalf("found only %d API routes in the source; the pattern no longer matches the route table", seen)
	}
}

// A list and a single record show a thing with the same fields and values.
func TestListsAndRecordsAgree(t *testing.T) {
	t.Parallel()
	a := apptest.Start(t, apptest.Options{})
	c := a.SignIn(t, "admin@example.com")
	d := mustDemo(t, c)
	res := c.JSON("PATCH", fmt.Sprintf("/api/v1/candidates/%d", d.candidateID),
		`{"availability":[{"start":"2030-03-05T13:00:00Z","end":"2030-03-05T21:00:00Z"}],"preferred_start":"09:00","preferred_end":"12:00"}`)
	if res.StatusCode != 200 {
		t.Fatalf("patch candidate: %d %s", res.StatusCode, res.Body)
	}
	for _, tt := range []struct{ list, key, record string }{
		{fmt.Sprintf("/api/v1/candidates?stage_id=%d", d.phoneStage), "candidates", "/api/v1/candidates/%v"},
		{"/api/v1/jobs", "jobs", "/api/v1/jobs/%v"},
		{"/api/v1/interviewers", "interviewers", "/api/v1/interviewers/%v"},
		{"/api/v1/users", "users", "/api/v1/users/%v"},
	} {
		var list map[string][]map[string]any
		mustJSON(t, c.Get(tt.list), 200, &list)
		if len(list[tt.key]) == 0 {
			t.Fatalf("%s: empty", tt.list)
		}
		for i, item := range list[tt.key] {
			if i == 3 {
				break
			}
			var rec map[string]any
			mustJSON(t, c.Get(fmt.Sprintf(tt.record, item["id"])), 200, &rec)
			if !reflect.DeepEqual(item, rec) {
				t.Errorf("%s item %v differs from its record:\nlist:   %v\nrecord: %v", tt.list, item["id"], item, rec)
			}
		}
	}
}
