package web

import (
	"net/http"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"unicode/utf8"

	"interviewplanner/domain"
)

// Text from requests is checked once, here, for what no field may hold: a
// NUL character or bytes that are not UTF-8. PostgreSQL refuses both in
// TEXT columns (SQLite would store them), and no name, phone or title
// ever means them; refusing them up front gives every field the same clear
// answer on both databases.

const badTextMessage = "Text cannot contain NUL characters or invalid UTF-8; remove them and try again."

func badText(s string) bool { return strings.IndexByte(s, 0) >= 0 || !utf8.ValidString(s) }

// checkValues refuses form or query values (and names) with bad text.
func checkValues(v url.Values) error {
	fields := map[string]string{}
	for k, vals := range v {
		name := k
		if badText(k) {
			name = "form"
		}
		for _, s := range append([]string{k}, vals...) {
			if badText(s) {
				fields[name] = badTextMessage
			}
		}
	}
	if len(fields) == 0 {
		return nil
	}
	return &domain.Error{Code: domain.EINVALID, Message: badTextMessage + " (" + strings.Join(sortedKeys(fields), ", ") + ")", Fields: fields}
}

func sortedKeys(m map[string]string) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// checkJSONText refuses a decoded JSON value holding a NUL character in any
// string (encoding/json decodes "\u0000" to one; invalid UTF-8 in the raw
// body is refused before decoding, since the decoder would silently
// replace it).
func checkJSONText(v any) error {
	if hasBadString(reflect.ValueOf(v)) {
		return domain.Errorf(domain.EINVALID, "%s", badTextMessage)
	}
	return nil
}

func hasBadString(v reflect.Value) bool {
	switch v.Kind() {
	case reflect.String:
		return badText(v.String())
	case reflect.Pointer, reflect.Interface:
		return !v.IsNil() && hasBadString(v.Elem())
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() && hasBadString(v.Field(i)) {
				return true
			}
		}
	case reflect.Slice, reflect.Array:
		for i := 0; i < v.Len(); i++ {
			if hasBadString(v.Index(i)) {
				return true
			}
		}
	case reflect.Map:
		it := v.MapRange()
		for it.Next() {
			if hasBadString(it.Key()) || hasBadString(it.Value()) {
				return true
			}
		}
	}
	return false
}

// checkQueryText refuses a request whose query string holds bad text: search
// boxes and filters reach the database too.
func (s *Server) checkQueryText(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.RawQuery != "" {
			if err := checkValues(r.URL.Query()); err != nil {
				s.Error(w, r, err)
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}
