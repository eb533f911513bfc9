package zoom

import (
	"bytes"
	"encoding/json"
	"strconv"
	"strings"
)

// looseString decodes a JSON string or number (Zoom sends some ids both ways).
type looseString string

func (s *looseString) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if bytes.Equal(b, []byte("null")) {
		*s = ""
		return nil
	}
	if len(b) > 0 && b[0] == '"' {
		var v string
		if err := json.Unmarshal(b, &v); err != nil {
			return err
		}
		*s = looseString(v)
		return nil
	}
	var n json.Number
	if err := json.Unmarshal(b, &n); err != nil {
		return err
	}
	*s = looseString(n.String())
	return nil
}

// looseInt64 decodes a JSON number or numeric string without going through
// float64, which would lose digits of meeting ids.
type looseInt64 int64

func (n *looseInt64) UnmarshalJSON(b []byte) error {
	var s looseString
	if err := s.UnmarshalJSON(b); err != nil {
		return err
	}
	if s == "" {
		*n = 0
		return nil
	}
	v, err := strconv.ParseInt(strings.TrimSpace(string(s)), 10, 64)
	if err != nil {
		return err
	}
	*n = looseInt64(v)
	return nil
}
