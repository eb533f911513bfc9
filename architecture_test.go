package interviewplanner_test

// The layers of docs/architecture.md, checked on every test run: the
// domain and the engine stay standard library only, web code holds no
// SQL, and no package imports a layer above its own.

import (
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"strings"
	"testing"
)

type listedPackage struct {
	ImportPath string
	Standard   bool
	Imports    []string
	Deps       []string
}

// goList runs `go list -json` with args and decodes its stream.
func goList(tb testing.TB, args ...string) []listedPackage {
	tb.Helper()
	out, err := exec.Command("go", append([]string{"list", "-json"}, args...)...).Output()
	if err != nil {
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			tb.Fatalf("go list %v: %v\n%s", args, err, ee.Stderr)
		}
		tb.Fatalf("go list %v: %v", args, err)
	}
	var pkgs []listedPackage
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for {
		var p listedPackage
		if err := dec.Decode(&p); errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			tb.Fatal(err)
		}
		pkgs = append(pkgs, p)
	}
	if len(pkgs) == 0 {
		tb.Fatalf("go list %v listed nothing", args)
	}
	return pkgs
}

// under reports whether path is pkg or inside it.
func under(path, pkg string) bool { return path == pkg || strings.HasPrefix(path, pkg+"/") }

func TestDomainAndEngineUseOnlyTheStandardLibrary(t *testing.T) {
	for _, p := range goList(t, "-deps", "./domain", "./scheduler") {
		if p.Standard || p.ImportPath == "interviewplanner/domain" || p.ImportPath == "interviewplanner/scheduler" {
			continue
		}
		t.Errorf("domain or scheduler depends on %s: they must import the standard library only", p.ImportPath)
	}
}

// sqlAndDrivers are the imports that mean "talks to the database".
var sqlAndDrivers = []string{"database/sql", "github.com/jackc/pgx", "modernc.org/sqlite", "github.com/mattn/go-sqlite3", "github.com/riverqueue/river/riverdriver"}

func TestWebHoldsNoSQL(t *testing.T) {
	for _, p := range goList(t, "./web/...") {
		for _, imp := range p.Imports {
			for _, bad := range sqlAndDrivers {
				if under(imp, bad) {
					t.Errorf("%s imports %s: web code parses, calls a service and renders; queries belong in store", p.ImportPath, imp)
				}
			}
		}
	}
}

// forbidden lists, per layer, the module's packages it must not import:
// each layer imports only the ones below it.
var forbidden = []struct {
	layer   []string
	mustNot []string
}{
	// Adapters: SQL, API clients, the queue, mail, iCalendar.
	{[]string{"interviewplanner/store", "interviewplanner/zoom", "interviewplanner/queue", "interviewplanner/mail", "interviewplanner/ical",
		"interviewplanner/calendar", "interviewplanner/googlespec", "interviewplanner/msgraph", "interviewplanner/msemu", "interviewplanner/msspec"},
		append([]string{"interviewplanner/web", "interviewplanner/app", "interviewplanner/cmd"}, services...)},
	// Services.
	{services, []string{"interviewplanner/web", "interviewplanner/app", "interviewplanner/cmd"}},
	{[]string{"interviewplanner/web"}, []string{"interviewplanner/app", "interviewplanner/cmd"}},
	{[]string{"interviewplanner/app"}, []string{"interviewplanner/cmd"}},
}

// services are the workflows between the web layer and the adapters.
var services = []string{"interviewplanner/scheduling", "interviewplanner/availability", "interviewplanner/zoomconnect",
	"interviewplanner/googleconnect", "interviewplanner/msconnect", "interviewplanner/meetings", "interviewplanner/calendars"}

func TestLayersImportOnlyDownwards(t *testing.T) {
	for _, p := range goList(t, "./...") {
		for _, rule := range forbidden {
			inLayer := false
			for _, l := range rule.layer {
				inLayer = inLayer || under(p.ImportPath, l)
			}
			if !inLayer {
				continue
			}
			for _, imp := range p.Imports {
				for _, bad := range rule.mustNot {
					if under(imp, bad) {
						t.Errorf("%s imports %s, a layer above it (docs/architecture.md)", p.ImportPath, imp)
					}
				}
			}
		}
	}
}
