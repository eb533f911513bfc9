package zoomemu

import (
	"bytes"
	"encoding/json"
	"errors"
	"mime"
	"net/http"
	"strconv"
	"time"

	"interviewplanner/emuhttp"
)

// controlRoutes serves the JSON control API under /_emulator/ (see README.md).
func (e *Emulator) controlRoutes(mux *http.ServeMux) {
	h := func(pattern string, f func(w http.ResponseWriter, r *http.Request) (any, error)) {
		mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
			out, err := f(w, r)
			if err != nil {
				controlError(w, err)
				return
			}
			if out == nil {
				w.WriteHeader(http.StatusNoContent)
				return
			}
			writeJSON(w, http.StatusOK, out)
		})
	}
	h("POST /_emulator/reset", func(w http.ResponseWriter, r *http.Request) (any, error) {
		e.Reset()
		return nil, nil
	})
	h("POST /_emulator/demo", func(w http.ResponseWriter, r *http.Request) (any, error) {
		var d Demo
		if err := decodeOptional(r, &d); err != nil {
			return nil, err
		}
		return map[string]string{"account_id": e.SeedDemo(d)}, nil
	})
	// How many meeting creates and updates a user has made today (UTC), so
	// a test reaches Zoom's per-host daily cap without 100 calls.
	h("POST /_emulator/daily", withBody(func(r *http.Request, in struct {
		UserID string `json:"user_id"`
		Used   int    `json:"used"`
	}) (any, error) {
		if in.UserID == "" || in.Used < 0 || in.Used > dailyMeetingWrites {
			return nil, badInput("user_id and used (0 to 100) are required")
		}
		e.SetDailyUse(in.UserID, in.Used)
		return nil, nil
	}))
	h("GET /_emulator/accounts", func(w http.ResponseWriter, r *http.Request) (any, error) {
		type view struct {
			Account
			Install Install `json:"app"`
			Users   []User  `json:"users"`
			Roles   []Role  `json:"roles"`
			Rooms   []Room  `json:"rooms"`
		}
		out := []view{}
		for _, a := range e.Accounts() {
			in, _ := e.InstallState(a.ID)
			out = append(out, view{a, in, nonNil(e.Users(a.ID)), nonNil(e.Roles(a.ID)), nonNil(e.Rooms(a.ID))})
		}
		return out, nil
	})
	h("POST /_emulator/accounts", withBody(func(r *http.Request, in struct {
		Name string `json:"name"`
		Plan string `json:"plan"`
	}) (any, error) {
		if in.Name == "" {
			return nil, badInput("name is required")
		}
		if in.Plan != "" {
			if _, ok := qpsLimits[in.Plan]; !ok {
				return nil, badInput("plan must be free, pro or business")
			}
		}
		id := e.CreateAccount(in.Name)
		return e.UpdateAccount(id, "", in.Plan)
	}))
	h("PATCH /_emulator/accounts/{id}", withBody(func(r *http.Request, in struct {
		Name string `json:"name"`
		Plan string `json:"plan"`
	}) (any, error) {
		return e.UpdateAccount(r.PathValue("id"), in.Name, in.Plan)
	}))
	h("POST /_emulator/accounts/{id}/users", withBody(func(r *http.Request, in UserSpec) (any, error) {
		return e.AddUser(r.PathValue("id"), in)
	}))
	h("PATCH /_emulator/users/{id}", withBody(func(r *http.Request, in UserChange) (any, error) {
		return e.UpdateUser(r.PathValue("id"), in)
	}))
	h("DELETE /_emulator/users/{id}", func(w http.ResponseWriter, r *http.Request) (any, error) {
		return nil, e.DeleteUser(r.PathValue("id"))
	})
	h("POST /_emulator/accounts/{id}/roles", withBody(func(r *http.Request, in struct {
		Name        string   `json:"name"`
		Description string   `json:"description"`
		Permissions []string `json:"permissions"`
	}) (any, error) {
		return e.AddRole(r.PathValue("id"), in.Name, in.Description, in.Permissions)
	}))
	h("PUT /_emulator/roles/{id}/permissions", withBody(func(r *http.Request, in struct {
		Permissions []string `json:"permissions"`
	}) (any, error) {
		return e.SetRolePermissions(r.PathValue("id"), in.Permissions)
	}))
	h("POST /_emulator/accounts/{id}/rooms", withBody(func(r *http.Request, in struct {
		Name string `json:"name"`
	}) (any, error) {
		return e.addRoom(r.PathValue("id"), in.Name)
	}))
	h("PATCH /_emulator/rooms/{id}", withBody(func(r *http.Request, in struct {
		Name   string `json:"name"`
		Status string `json:"status"`
	}) (any, error) {
		return e.UpdateRoom(r.PathValue("id"), in.Name, in.Status)
	}))
	h("PUT /_emulator/accounts/{id}/preapproval", withBody(func(r *http.Request, in struct {
		On *bool `json:"on"`
	}) (any, error) {
		if in.On == nil {
			return nil, badInput(`"on" (true or false) is required`)
		}
		id := r.PathValue("id")
		if _, ok := e.InstallState(id); !ok {
			return nil, ErrNotFound
		}
		e.SetPreApproved(id, *in.On)
		in2, _ := e.InstallState(id)
		return in2, nil
	}))
	h("POST /_emulator/accounts/{id}/uninstall", func(w http.ResponseWriter, r *http.Request) (any, error) {
		var in struct {
			ByUserID string `json:"by_user_id"`
		}
		if err := decodeOptional(r, &in); err != nil {
			return nil, err
		}
		return nil, e.Uninstall(r.PathValue("id"), in.ByUserID)
	})
	h("PUT /_emulator/app/scopes", withBody(func(r *http.Request, in struct {
		Scopes []string `json:"scopes"`
	}) (any, error) {
		if in.Scopes == nil {
			return nil, badInput(`"scopes" is required`)
		}
		e.SetAppScopes(in.Scopes)
		return nil, nil
	}))
	h("GET /_emulator/faults", func(w http.ResponseWriter, r *http.Request) (any, error) {
		return e.Faults(), nil
	})
	h("POST /_emulator/faults", withBody(func(r *http.Request, in struct {
		Fault
		LatencyMS int64 `json:"latency_ms"`
	}) (any, error) {
		f := in.Fault
		if in.LatencyMS != 0 {
			f.Latency = time.Duration(in.LatencyMS) * time.Millisecond
		}
		switch {
		case f.Status != 0 && (f.Status < 100 || f.Status > 599):
			return nil, badInput("status must be 100-599")
		case f.Probability < 0 || f.Probability > 1:
			return nil, badInput("probability must be within 0..1")
		case f.Times < 0 || f.Latency < 0:
			return nil, badInput("times and latency must not be negative")
		case f.Status == 0 && !f.Drop && f.Latency == 0:
			return nil, badInput("a fault needs a status, drop or latency")
		}
		e.InjectFault(f)
		return nil, nil
	}))
	h("DELETE /_emulator/faults", func(w http.ResponseWriter, r *http.Request) (any, error) {
		e.ClearFaults()
		return nil, nil
	})
	h("POST /_emulator/tokens/expire", func(w http.ResponseWriter, r *http.Request) (any, error) {
		e.ExpireAccessTokens()
		return nil, nil
	})
	h("GET /_emulator/tokens", func(w http.ResponseWriter, r *http.Request) (any, error) {
		return map[string]any{"stats": e.TokenStats(), "tokens": nonNil(e.Tokens())}, nil
	})
	h("GET /_emulator/meetings", func(w http.ResponseWriter, r *http.Request) (any, error) {
		acct := r.URL.Query().Get("account_id")
		return map[string]any{"meetings": nonNil(e.Meetings(acct)), "deleted": nonNil(e.DeletedMeetings(acct))}, nil
	})
	h("DELETE /_emulator/meetings/{id}", func(w http.ResponseWriter, r *http.Request) (any, error) {
		id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
		if err != nil {
			return nil, badInput("meeting id must be an integer")
		}
		return nil, e.DeleteMeetingBehindApp(id)
	})
	h("GET /_emulator/deliveries", func(w http.ResponseWriter, r *http.Request) (any, error) {
		return e.Deliveries(), nil
	})
	h("POST /_emulator/webhooks/validate", func(w http.ResponseWriter, r *http.Request) (any, error) {
		v, err := e.ValidateEndpoint(r.Context())
		if err != nil {
			return nil, badInput(err.Error())
		}
		return v, nil
	})
	h("GET /_emulator/requests", func(w http.ResponseWriter, r *http.Request) (any, error) {
		return e.Requests(), nil
	})
	mux.HandleFunc("/_emulator/", func(w http.ResponseWriter, r *http.Request) {
		writeZoomError(w, http.StatusNotFound, 404, "No such control endpoint: "+r.Method+" "+r.URL.Path)
	})
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

type inputError struct{ msg string }

func (e inputError) Error() string { return e.msg }

func badInput(msg string) error { return inputError{msg} }

// controlError maps Go API errors to Zoom-style bodies.
func controlError(w http.ResponseWriter, err error) {
	var in inputError
	switch {
	case errors.As(err, &in):
		writeZoomError(w, http.StatusBadRequest, 300, in.msg)
	case errors.Is(err, ErrNotFound):
		writeZoomError(w, http.StatusNotFound, 404, err.Error())
	case errors.Is(err, ErrInvalid):
		writeZoomError(w, http.StatusBadRequest, 300, err.Error())
	default:
		writeZoomError(w, http.StatusInternalServerError, 500, err.Error())
	}
}

// decode reads a required JSON object body.
func decode(r *http.Request, v any) error {
	body := emuhttp.Body(r)
	if len(bytes.TrimSpace(body)) == 0 {
		return badInput("Request Body should be a valid JSON object.")
	}
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || mt != "application/json" {
		return badInput("Unsupported Content Type: send application/json")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return badInput("Request Body should be a valid JSON object: " + err.Error())
	}
	if dec.More() {
		return badInput("Request Body should be a single JSON object.")
	}
	return nil
}

// withBody is a control call whose body, a JSON object, is required and
// decoded into an In for do.
func withBody[In any](do func(r *http.Request, in In) (any, error)) func(http.ResponseWriter, *http.Request) (any, error) {
	return func(_ http.ResponseWriter, r *http.Request) (any, error) {
		var in In
		if err := decode(r, &in); err != nil {
			return nil, err
		}
		return do(r, in)
	}
}

// decodeOptional is decode for bodies that may be empty.
func decodeOptional(r *http.Request, v any) error {
	if len(bytes.TrimSpace(emuhttp.Body(r))) == 0 {
		return nil
	}
	return decode(r, v)
}
