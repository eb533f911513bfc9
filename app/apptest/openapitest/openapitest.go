// Package openapitest checks the application's real answers against the
// OpenAPI document it serves at /api/v1/openapi.json, successes and
// problems alike.
package openapitest

import (
	"bytes"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"interviewplanner/app/apptest"
)

// Doc is the served document, ready to check answers against.
type Doc struct {
	router routers.Router
}

// Load reads the document through c and fails tb unless it is valid
// OpenAPI.
func Load(tb testing.TB, c *apptest.Client) *Doc {
	tb.Helper()
	raw := c.Get("/api/v1/openapi.json")
	if raw.StatusCode != http.StatusOK {
		tb.Fatalf("openapi.json: %d", raw.StatusCode)
	}
	doc, err := openapi3.NewLoader().LoadFromData([]byte(raw.Body))
	if err != nil {
		tb.Fatal(err)
	}
	if err := doc.Validate(tb.Context()); err != nil {
		tb.Fatalf("the document is not valid OpenAPI: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://api.test"}}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		tb.Fatal(err)
	}
	return &Doc{router: router}
}

// Check fails tb unless res, the answer to method path (with the JSON
// body, or none), is described by the document: the route, its status
// and the body's schema.
func (d *Doc) Check(tb testing.TB, method, path, body string, res apptest.Response) {
	tb.Helper()
	req, _ := http.NewRequest(method, "http://api.test"+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	route, params, err := d.router.FindRoute(req)
	if err != nil {
		tb.Errorf("%s %s: not in the document: %v", method, path, err)
		return
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
			Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}},
		Status: res.StatusCode, Header: res.Header, Body: io.NopCloser(bytes.NewReader([]byte(res.Body))),
		Options: &openapi3filter.Options{IncludeResponseStatus: true},
	}
	if err := openapi3filter.ValidateResponse(tb.Context(), in); err != nil {
		tb.Errorf("%s %s -> %d: response does not match the document: %v\n%s", method, path, res.StatusCode, err, res.Body)
	}
}
