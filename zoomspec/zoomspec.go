// Package zoomspec validates HTTP traffic against Zoom's official OpenAPI
// description of the Meeting API (ZoomMeetingAPISpec.json, embedded as
// published by Zoom and mended at load time).
//
// Requests are matched by their path relative to /v2, whatever host they were
// sent to, so the same validator serves the real Zoom and the emulator.
package zoomspec

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

//go:embed ZoomMeetingAPISpec.json
var specJSON []byte

// specServer is the only server the official file declares; requests are
// re-addressed to it before routing.
const specServer = "https://api.zoom.us"

// Validator checks requests and responses against the mended description.
type Validator struct {
	doc    *openapi3.T
	router routers.Router
}

type loaded struct {
	v   *Validator
	err error
}

// Loading parses a 2.7 MB document and builds 200+ routes, which takes a
// noticeable fraction of a second; every caller shares the one result.
var load = sync.OnceValue(func() loaded {
	v, err := build()
	return loaded{v, err}
})

// Load returns the shared validator, loading the description on first use.
func Load() (*Validator, error) {
	l := load()
	return l.v, l.err
}

func build() (*Validator, error) {
	mended, err := Mend(specJSON)
	if err != nil {
		return nil, err
	}
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(mended)
	if err != nil {
		return nil, fmt.Errorf("zoomspec: load: %w", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("zoomspec: router: %w", err)
	}
	return &Validator{doc: doc, router: router}, nil
}

// Mend repairs the known defects of Zoom's published file so that a strict
// loader accepts it and validation gives meaningful answers:
//
//   - A schema property carries `"required": true` (a boolean, as in OpenAPI
//     2 parameters) instead of a list on its parent (under
//     /rooms/{id}/events PATCH). kin-openapi refuses the whole file, so the
//     boolean is removed wherever it sits on a schema.
//   - Path parameters such as userId are declared as `oneOf` alternatives
//     that overlap (any string, an email, "me"): every value matches two or
//     more, so `oneOf` always fails. They are treated as `anyOf`.
//   - `start_time` is declared `format: date-time` (RFC 3339, offset
//     required) while its own description, and Zoom, accept local time
//     `yyyy-MM-ddTHH:mm:ss` interpreted in `timezone`. Such properties get a
//     pattern allowing an optional offset instead of the format.
//
// Error responses (4xx) are described in prose only; Validator checks their
// {"code","message"} shape itself instead of mending anything here.
func Mend(raw []byte) ([]byte, error) {
	var doc any
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf("zoomspec: parse: %w", err)
	}
	mendNode(doc, "")
	return json.Marshal(doc)
}

// localOrZonedDateTime is RFC 3339 with the offset optional.
const localOrZonedDateTime = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\.[0-9]+)?(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])?$`

// mendNode walks the document; key is the member name under which node sits.
func mendNode(node any, key string) {
	switch n := node.(type) {
	case map[string]any:
		if key == "properties" {
			// n maps property names to schemas.
			for name, prop := range n {
				schema, ok := prop.(map[string]any)
				if !ok {
					continue
				}
				if _, isBool := schema["required"].(bool); isBool {
					delete(schema, "required")
				}
				if name == "start_time" && schema["format"] == "date-time" && strings.Contains(fmt.Sprint(schema["description"]), "local time") {
					delete(schema, "format")
					schema["pattern"] = localOrZonedDateTime
				}
			}
		}
		if key == "schema" {
			if alts, ok := n["oneOf"]; ok && isParameterSchema(n) {
				delete(n, "oneOf")
				n["anyOf"] = alts
			}
		}
		for k, v := range n {
			mendNode(v, k)
		}
	case []any:
		for _, v := range n {
			mendNode(v, key)
		}
	}
}

// isParameterSchema reports whether a `schema` member is a list of scalar
// alternatives, as parameter schemas are; body schemas with object
// alternatives keep their oneOf.
func isParameterSchema(schema map[string]any) bool {
	alts, ok := schema["oneOf"].([]any)
	if !ok {
		return false
	}
	for _, a := range alts {
		m, ok := a.(map[string]any)
		if !ok {
			return false
		}
		switch m["type"] {
		case "string", "integer", "number":
		default:
			return false
		}
	}
	return true
}

// HasOperation reports whether the description has an operation for method
// and path (e.g. "GET", "/v2/users/me"; a path without /v2 is also accepted).
func (v *Validator) HasOperation(method, path string) bool {
	req, err := http.NewRequest(method, specServer+apiPath(path), nil)
	if err != nil {
		return false
	}
	_, _, err = v.router.FindRoute(req)
	return err == nil
}

// apiPath makes path relative to the spec's server (https://api.zoom.us/v2).
func apiPath(p string) string {
	if p == "/v2" || strings.HasPrefix(p, "/v2/") {
		return p
	}
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return "/v2" + p
}

// specRequest re-addresses r to the spec's server, keeping method, path,
// query and headers, and gives it body (r's own body is not read).
func specRequest(r *http.Request, body []byte) (*http.Request, error) {
	u := &url.URL{Scheme: "https", Host: "api.zoom.us", Path: apiPath(r.URL.Path), RawQuery: r.URL.RawQuery}
	req, err := http.NewRequestWithContext(contextOf(r), r.Method, u.String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header = r.Header.Clone()
	if req.Header == nil {
		req.Header = http.Header{}
	}
	return req, nil
}

func contextOf(r *http.Request) context.Context {
	if ctx := r.Context(); ctx != nil {
		return ctx
	}
	return context.Background()
}

func (v *Validator) route(req *http.Request) (*routers.Route, map[string]string, error) {
	route, params, err := v.router.FindRoute(req)
	if err != nil {
		return nil, nil, fmt.Errorf("zoomspec: %s %s: no such operation: %w", req.Method, req.URL.Path, err)
	}
	return route, params, nil
}

func options() *openapi3filter.Options {
	return &openapi3filter.Options{
		// Authentication is the server's business, not the description's.
		AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
		MultiError:         true,
	}
}

// operation finds the operation r addresses, with body (nil for none) as
// its request body: what both a request and its response are checked
// against.
func (v *Validator) operation(r *http.Request, body []byte) (*openapi3filter.RequestValidationInput, error) {
	req, err := specRequest(r, body)
	if err != nil {
		return nil, err
	}
	route, params, err := v.route(req)
	if err != nil {
		return nil, err
	}
	return &openapi3filter.RequestValidationInput{
		Request:    req,
		PathParams: params,
		Route:      route,
		Options:    options(),
	}, nil
}

// ValidateRequest checks r (path like "/v2/users/me") and its body (nil for
// none) against the operation it addresses.
func (v *Validator) ValidateRequest(r *http.Request, body []byte) error {
	op, err := v.operation(r, body)
	if err != nil {
		return err
	}
	return openapi3filter.ValidateRequest(op.Request.Context(), op)
}

// ValidateResponse checks a response to r. Success responses are validated
// against the description; 4xx/5xx responses, which the description gives in
// prose only, must carry Zoom's {"code": int, "message": string} body.
func (v *Validator) ValidateResponse(r *http.Request, status int, header http.Header, body []byte) error {
	op, err := v.operation(r, nil)
	if err != nil {
		return err
	}
	if status >= 400 {
		return CheckErrorBody(body)
	}
	if header == nil {
		header = http.Header{}
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: op,
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	return openapi3filter.ValidateResponse(op.Request.Context(), in)
}

// CheckErrorBody checks Zoom's REST error shape: a JSON object with an
// integer "code" and a string "message" (validation errors add "errors").
func CheckErrorBody(body []byte) error {
	var e map[string]json.RawMessage
	if err := json.Unmarshal(body, &e); err != nil {
		return fmt.Errorf("zoomspec: error body is not a JSON object: %w", err)
	}
	var code json.Number
	dec := json.NewDecoder(bytes.NewReader(e["code"]))
	dec.UseNumber()
	if raw, ok := e["code"]; !ok || dec.Decode(&code) != nil || string(raw) != code.String() {
		return errors.New(`zoomspec: error body lacks an integer "code"`)
	}
	if _, err := code.Int64(); err != nil {
		return errors.New(`zoomspec: error body "code" is not an integer`)
	}
	var msg string
	if raw, ok := e["message"]; !ok || json.Unmarshal(raw, &msg) != nil {
		return errors.New(`zoomspec: error body lacks a string "message"`)
	}
	return nil
}

// FieldError is one entry of Zoom's validation error list.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

// FieldErrors turns a ValidateRequest error into Zoom-style field errors
// (field names are dotted JSON paths, or the parameter name).
func FieldErrors(err error) []FieldError {
	var out []FieldError
	collectFieldErrors(err, "", &out)
	if len(out) == 0 && err != nil {
		out = append(out, FieldError{Field: "", Message: err.Error()})
	}
	return out
}

func collectFieldErrors(err error, field string, out *[]FieldError) {
	if err == nil {
		return
	}
	var multi openapi3.MultiError
	if errors.As(err, &multi) {
		for _, e := range multi {
			collectFieldErrors(e, field, out)
		}
		return
	}
	var reqErr *openapi3filter.RequestError
	if errors.As(err, &reqErr) {
		if reqErr.Parameter != nil {
			field = reqErr.Parameter.Name
		}
		if reqErr.Err != nil && !errors.Is(reqErr.Err, reqErr) {
			var inner openapi3.MultiError
			var schemaErr *openapi3.SchemaError
			if errors.As(reqErr.Err, &inner) || errors.As(reqErr.Err, &schemaErr) {
				collectFieldErrors(reqErr.Err, field, out)
				return
			}
		}
		*out = append(*out, FieldError{Field: field, Message: reqErr.Error()})
		return
	}
	var schemaErr *openapi3.SchemaError
	if errors.As(err, &schemaErr) {
		f := strings.Join(schemaErr.JSONPointer(), ".")
		if field != "" && f != "" {
			f = field + "." + f
		} else if f == "" {
			f = field
		}
		msg := schemaErr.Reason
		if msg == "" {
			msg = schemaErr.Error()
		}
		*out = append(*out, FieldError{Field: f, Message: msg})
		return
	}
	*out = append(*out, FieldError{Field: field, Message: err.Error()})
}
