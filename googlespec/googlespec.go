// Package googlespec validates HTTP traffic against Google's official
// discovery documents for Calendar v3 and Admin SDK Directory v1 (embedded
// as published). Discovery is not OpenAPI, so the package carries its own
// small loader: each discovery schema becomes a JSON Schema (draft
// 2020-12) and each method a route with its query parameters, request and
// response schema.
//
// The same validator checks what the application sends and what the
// emulator answers: requests are matched by path, whatever host they were
// sent to.
package googlespec

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

//go:embed calendar-v3.discovery.json
var calendarJSON []byte

//go:embed admin-directory-v1.discovery.json
var directoryJSON []byte

// API is one loaded discovery document.
type API struct {
	Name     string // "calendar", "admin"
	Version  string
	Prefix   string // URL path every method's path is joined to, e.g. "/calendar/v3/"
	Scopes   []string
	Methods  []*Method
	schemas  map[string]*jsonschema.Schema
	errorSch *jsonschema.Schema
}

// Method is one API method.
type Method struct {
	ID         string // "calendar.events.list"
	HTTPMethod string
	Path       string // as declared, relative to Prefix
	Params     map[string]Param
	Request    string // schema id of the body, "" for none
	Response   string // schema id of the answer, "" for none
	Scopes     []string
	segments   []string
	literals   int
}

// Param is a query or path parameter.
type Param struct {
	Type     string
	Location string
	Repeated bool
	Required bool
	Enum     []string
	Min, Max *int64
	Format   string
}

type discovery struct {
	Name        string                     `json:"name"`
	Version     string                     `json:"version"`
	ServicePath string                     `json:"servicePath"`
	Parameters  map[string]discoveryParam  `json:"parameters"`
	Schemas     map[string]json.RawMessage `json:"schemas"`
	Resources   map[string]resource        `json:"resources"`
	Auth        struct {
		OAuth2 struct {
			Scopes map[string]any `json:"scopes"`
		} `json:"oauth2"`
	} `json:"auth"`
}

type resource struct {
	Methods   map[string]discoveryMethod `json:"methods"`
	Resources map[string]resource        `json:"resources"`
}

type discoveryMethod struct {
	ID         string                    `json:"id"`
	HTTPMethod string                    `json:"httpMethod"`
	Path       string                    `json:"path"`
	Parameters map[string]discoveryParam `json:"parameters"`
	Request    *struct {
		Ref string `json:"$ref"`
	} `json:"request"`
	Response *struct {
		Ref string `json:"$ref"`
	} `json:"response"`
	Scopes []string `json:"scopes"`
}

type discoveryParam struct {
	Type     string   `json:"type"`
	Location string   `json:"location"`
	Repeated bool     `json:"repeated"`
	Required bool     `json:"required"`
	Enum     []string `json:"enum"`
	Minimum  string   `json:"minimum"`
	Maximum  string   `json:"maximum"`
	Format   string   `json:"format"`
}

var (
	calendarOnce  = sync.OnceValues(func() (*API, error) { return Load(calendarJSON) })
	directoryOnce = sync.OnceValues(func() (*API, error) { return Load(directoryJSON) })
)

// Calendar returns the shared Calendar v3 validator.
func Calendar() (*API, error) { return calendarOnce() }

// Directory returns the shared Admin SDK Directory v1 validator.
func Directory() (*API, error) { return directoryOnce() }

// errorSchema is Google's API error envelope, which discovery documents do
// not describe.
const errorSchema = `{
  "type": "object", "required": ["error"], "additionalProperties": false,
  "properties": {"error": {"type": "object", "required": ["code", "message", "errors"], "additionalProperties": false,
    "properties": {
      "code": {"type": "integer"}, "message": {"type": "string"}, "status": {"type": "string"},
      "errors": {"type": "array", "minItems": 1, "items": {"type": "object", "required": ["domain", "reason", "message"], "additionalProperties": false,
        "properties": {"domain": {"type": "string"}, "reason": {"type": "string"}, "message": {"type": "string"},
          "location": {"type": "string"}, "locationType": {"type": "string"}, "extendedHelp": {"type": "string"}}}}}}}
}`

// Load builds a validator from a discovery document.
func Load(doc []byte) (*API, error) {
	var d discovery
	if err := json.Unmarshal(doc, &d); err != nil {
		return nil, fmt.Errorf("googlespec: %w", err)
	}
	api := &API{Name: d.Name, Version: d.Version, Prefix: "/" + d.ServicePath, schemas: map[string]*jsonschema.Schema{}}
	for s := range d.Auth.OAuth2.Scopes {
		api.Scopes = append(api.Scopes, s)
	}
	slices.Sort(api.Scopes)
	defs := map[string]any{}
	for id, raw := range d.Schemas {
		var s map[string]any
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, fmt.Errorf("googlespec: schema %s: %w", id, err)
		}
		defs[id] = convert(s)
	}
	root := map[string]any{"$schema": "https://json-schema.org/draft/2020-12/schema", "$defs": defs}
	c := jsonschema.NewCompiler()
	const base = "https://googlespec.invalid/"
	if err := c.AddResource(base+"api.json", root); err != nil {
		return nil, fmt.Errorf("googlespec: %w", err)
	}
	envelope, err := jsonschema.UnmarshalJSON(strings.NewReader(errorSchema))
	if err != nil {
		return nil, err
	}
	if err := c.AddResource(base+"error.json", envelope); err != nil {
		return nil, err
	}
	if api.errorSch, err = c.Compile(base + "error.json"); err != nil {
		return nil, fmt.Errorf("googlespec: error envelope: %w", err)
	}
	for id := range defs {
		sch, err := c.Compile(base + "api.json#/$defs/" + id)
		if err != nil {
			return nil, fmt.Errorf("googlespec: compile %s: %w", id, err)
		}
		api.schemas[id] = sch
	}
	var walk func(map[string]resource)
	walk = func(rs map[string]resource) {
		for _, r := range rs {
			for _, m := range r.Methods {
				api.Methods = append(api.Methods, newMethod(m, d.Parameters))
			}
			walk(r.Resources)
		}
	}
	walk(d.Resources)
	slices.SortFunc(api.Methods, func(a, b *Method) int { return strings.Compare(a.ID, b.ID) })
	return api, nil
}

func newMethod(m discoveryMethod, common map[string]discoveryParam) *Method {
	out := &Method{ID: m.ID, HTTPMethod: m.HTTPMethod, Path: m.Path, Params: map[string]Param{}, Scopes: m.Scopes}
	if m.Request != nil {
		out.Request = m.Request.Ref
	}
	if m.Response != nil {
		out.Response = m.Response.Ref
	}
	for name, p := range common {
		out.Params[name] = param(p)
	}
	for name, p := range m.Parameters {
		out.Params[name] = param(p)
	}
	out.segments = strings.Split(m.Path, "/")
	for _, s := range out.segments {
		if !strings.HasPrefix(s, "{") {
			out.literals++
		}
	}
	return out
}

func param(p discoveryParam) Param {
	out := Param{Type: p.Type, Location: p.Location, Repeated: p.Repeated, Required: p.Required, Enum: p.Enum, Format: p.Format}
	if n, err := strconv.ParseInt(p.Minimum, 10, 64); err == nil {
		out.Min = &n
	}
	if n, err := strconv.ParseInt(p.Maximum, 10, 64); err == nil {
		out.Max = &n
	}
	return out
}

// convert turns one discovery schema into JSON Schema. Objects that list
// their properties admit no others, so a misspelt or invented field fails;
// int64 values travel as decimal strings (FACTS #33); "any" admits anything.
func convert(s map[string]any) map[string]any {
	if ref, ok := s["$ref"].(string); ok {
		return map[string]any{"$ref": "#/$defs/" + ref}
	}
	out := map[string]any{}
	if e, ok := s["enum"]; ok {
		out["enum"] = e
	}
	switch s["type"] {
	case "any", nil:
		if s["type"] == nil && s["properties"] == nil {
			return out
		}
		if s["type"] == "any" {
			return map[string]any{}
		}
		fallthrough
	case "object":
		out["type"] = "object"
		if props, ok := s["properties"].(map[string]any); ok {
			p := map[string]any{}
			for name, sub := range props {
				p[name] = convert(sub.(map[string]any))
			}
			out["properties"] = p
			out["additionalProperties"] = false
		}
		if ap, ok := s["additionalProperties"].(map[string]any); ok {
			out["additionalProperties"] = convert(ap)
		}
	case "array":
		out["type"] = "array"
		if items, ok := s["items"].(map[string]any); ok {
			out["items"] = convert(items)
		}
	case "string":
		out["type"] = "string"
		switch s["format"] {
		case "int64", "uint64":
			out["pattern"] = `^-?[0-9]+$`
		case "date-time":
			out["pattern"] = `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$`
		case "date":
			out["pattern"] = `^\d{4}-\d{2}-\d{2}$`
		}
	case "integer":
		out["type"] = "integer"
	case "number":
		out["type"] = "number"
	case "boolean":
		out["type"] = "boolean"
	}
	return out
}

// Find returns the method a request addresses (path relative to any host)
// and its path parameters.
func (a *API) Find(httpMethod, escapedPath string) (*Method, map[string]string, error) {
	rest, ok := strings.CutPrefix(escapedPath, a.Prefix)
	if !ok {
		return nil, nil, fmt.Errorf("%s is not under %s", escapedPath, a.Prefix)
	}
	segs := strings.Split(rest, "/")
	var best *Method
	var bestParams map[string]string
	for _, m := range a.Methods {
		if m.HTTPMethod != httpMethod || len(m.segments) != len(segs) || (best != nil && best.literals >= m.literals) {
			continue
		}
		params := map[string]string{}
		match := true
		for i, s := range m.segments {
			if name, ok := strings.CutPrefix(s, "{"); ok {
				v, err := url.PathUnescape(segs[i])
				if err != nil || v == "" {
					match = false
					break
				}
				params[strings.TrimPrefix(strings.TrimSuffix(name, "}"), "+")] = v
			} else if s != segs[i] {
				match = false
				break
			}
		}
		if match {
			best, bestParams = m, params
		}
	}
	if best == nil {
		return nil, nil, fmt.Errorf("no %s method %s %s", a.Name, httpMethod, escapedPath)
	}
	return best, bestParams, nil
}

// ValidateRequest checks a request's method, path, query parameters and
// body.
func (a *API) ValidateRequest(r *http.Request, body []byte) (*Method, error) {
	m, _, err := a.Find(r.Method, r.URL.EscapedPath())
	if err != nil {
		return nil, err
	}
	var errs []error
	q := r.URL.Query()
	for name, vals := range q {
		p, ok := m.Params[name]
		if !ok || p.Location != "query" {
			errs = append(errs, fmt.Errorf("%s: unknown query parameter %q", m.ID, name))
			continue
		}
		if len(vals) > 1 && !p.Repeated {
			errs = append(errs, fmt.Errorf("%s: %s given %d times", m.ID, name, len(vals)))
		}
		for _, v := range vals {
			if err := p.check(v); err != nil {
				errs = append(errs, fmt.Errorf("%s: %s=%q: %w", m.ID, name, v, err))
			}
		}
	}
	for name, p := range m.Params {
		if p.Required && p.Location == "query" && !q.Has(name) {
			errs = append(errs, fmt.Errorf("%s: missing required parameter %s", m.ID, name))
		}
	}
	if m.Request != "" {
		if len(bytes.TrimSpace(body)) == 0 {
			errs = append(errs, fmt.Errorf("%s: missing body %s", m.ID, m.Request))
		} else if err := a.validate(m.Request, body); err != nil {
			errs = append(errs, fmt.Errorf("%s: body: %w", m.ID, err))
		}
	}
	return m, errors.Join(errs...)
}

func (p Param) check(v string) error {
	switch p.Type {
	case "integer":
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			return errors.New("not an integer")
		}
		if p.Min != nil && n < *p.Min || p.Max != nil && n > *p.Max {
			return errors.New("out of range")
		}
	case "boolean":
		if v != "true" && v != "false" {
			return errors.New("not a boolean")
		}
	}
	if len(p.Enum) > 0 && !slices.Contains(p.Enum, v) {
		return fmt.Errorf("not one of %v", p.Enum)
	}
	return nil
}

// ValidateResponse checks an answer to the request: a 2xx body against the
// method's response schema (no body when it declares none), anything else
// against Google's error envelope.
func (a *API) ValidateResponse(httpMethod, escapedPath string, status int, body []byte) error {
	m, _, err := a.Find(httpMethod, escapedPath)
	if err != nil {
		return err
	}
	if status < 200 || status > 299 {
		inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
		if err != nil {
			return fmt.Errorf("%s: error answer %d is not JSON: %w", m.ID, status, err)
		}
		if err := a.errorSch.Validate(inst); err != nil {
			return fmt.Errorf("%s: error answer %d: %w", m.ID, status, err)
		}
		return nil
	}
	if m.Response == "" {
		if len(bytes.TrimSpace(body)) != 0 {
			return fmt.Errorf("%s: answer has a body but the method declares none", m.ID)
		}
		return nil
	}
	if err := a.validate(m.Response, body); err != nil {
		return fmt.Errorf("%s: answer: %w", m.ID, err)
	}
	return nil
}

// Validate checks a JSON document against one named schema.
func (a *API) validate(schema string, body []byte) error {
	sch, ok := a.schemas[schema]
	if !ok {
		return fmt.Errorf("no schema %s", schema)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(body))
	if err != nil {
		return fmt.Errorf("not JSON: %w", err)
	}
	return sch.Validate(inst)
}

// Validate checks a JSON document against one named schema ("Event").
func (a *API) Validate(schema string, body []byte) error { return a.validate(schema, body) }

// Transport wraps an http.RoundTripper and records every request and answer
// that fails validation against apis (matched by path prefix). Tests put it
// under the official Go clients.
type Transport struct {
	Base http.RoundTripper
	APIs []*API

	mu       sync.Mutex
	problems []string
	checked  int
}

// RoundTrip implements http.RoundTripper.
func (t *Transport) RoundTrip(r *http.Request) (*http.Response, error) {
	api := t.apiFor(r.Method, r.URL.EscapedPath())
	if api == nil {
		return t.base().RoundTrip(r)
	}
	var body []byte
	if r.Body != nil && r.GetBody != nil {
		rc, err := r.GetBody()
		if err == nil {
			body, _ = readAll(rc)
		}
	} else if r.Body != nil {
		b, err := readAll(r.Body)
		if err != nil {
			return nil, err
		}
		body = b
		r.Body = nopCloser{bytes.NewReader(b)}
	}
	t.mu.Lock()
	t.checked++
	t.mu.Unlock()
	if _, err := api.ValidateRequest(r, body); err != nil {
		t.add(fmt.Sprintf("request %s %s: %v", r.Method, r.URL.Path, err))
	}
	resp, err := t.base().RoundTrip(r)
	if err != nil {
		return resp, err
	}
	rb, rerr := readAll(resp.Body)
	resp.Body.Close()
	resp.Body = nopCloser{bytes.NewReader(rb)}
	if rerr != nil {
		return resp, nil
	}
	if err := api.ValidateResponse(r.Method, r.URL.EscapedPath(), resp.StatusCode, rb); err != nil {
		t.add(fmt.Sprintf("answer %s %s %d: %v", r.Method, r.URL.Path, resp.StatusCode, err))
	}
	return resp, nil
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// apiFor is the API that declares the request; OAuth endpoints and
// anything else pass through unchecked.
func (t *Transport) apiFor(method, p string) *API {
	for _, a := range t.APIs {
		if _, _, err := a.Find(method, p); err == nil {
			return a
		}
	}
	return nil
}

type nopCloser struct{ *bytes.Reader }

func (nopCloser) Close() error { return nil }

func readAll(r io.ReadCloser) ([]byte, error) {
	defer r.Close()
	return io.ReadAll(r)
}

func (t *Transport) add(p string) {
	t.mu.Lock()
	t.problems = append(t.problems, p)
	t.mu.Unlock()
}

// Checked counts the API calls validated so far.
func (t *Transport) Checked() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.checked
}

// Problems returns what failed validation so far.
func (t *Transport) Problems() []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.problems)
}
