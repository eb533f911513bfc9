package interviewplanner_test

// Errors keep their causes: production code looks through wrapping with
// errors.Is and errors.As, never compares or asserts an error directly and
// never reads its message to decide what happened (a unique violation is
// store.IsUniqueViolation, by the driver's code).

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var errorChecks = []struct {
	re   *regexp.Regexp
	want string
}{
	{regexp.MustCompile(`\b\w*[eE]rr\w*\.\(\*?[\w.]+\)`), "errors.As, not a type assertion on an error"},
	{regexp.MustCompile(`\b\w*[eE]rr\w*\.\(type\)`), "errors.As, not a type switch on an error"},
	{regexp.MustCompile(`\b\w*[eE]rr\w* *(==|!=) *\w+\.(Err\w*|EOF)\b`), "errors.Is, not == on an error"},
	{regexp.MustCompile(`strings\.\w+\(\w+\.Error\(\)`), "errors.Is or errors.As, not the error's message"},
	{regexp.MustCompile(`(?i)UNIQUE constraint|duplicate key`), "store.IsUniqueViolation, not the driver's message"},
}

var errorText = regexp.MustCompile(`(\w+) :?= \w*[eE]rr\w*\.Error\(\)`)

func TestErrorsAreCheckedThroughTheirChain(t *testing.T) {
	checked := 0
	err := filepath.WalkDir(".", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if name := d.Name(); path != "." && (strings.HasPrefix(name, ".") || name == "testdata" || name == "data") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		checked++
		lines := strings.Split(string(b), "\n")
		for i, line := range lines {
			if code, _, _ := strings.Cut(line, "//"); strings.TrimSpace(code) == "" {
				continue
			}
			for _, c := range errorChecks {
				if c.re.MatchString(line) {
					t.Errorf("%s:%d: use %s:\n\t%s", path, i+1, c.want, strings.TrimSpace(line))
				}
			}
			// An error's text kept in a variable and then searched.
			if m := errorText.FindStringSubmatch(line); m != nil {
				for _, next := range lines[i+1 : min(i+6, len(lines))] {
					if strings.Contains(next, "strings.") && strings.Contains(next, "("+m[1]+",") {
						t.Errorf("%s:%d: use errors.Is or errors.As, not the error's message:\n\t%s\n\t%s", path, i+1, strings.TrimSpace(line), strings.TrimSpace(next))
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if checked < 100 {
		t.Fatalf("only %d Go files read: the walk missed the tree", checked)
	}
}
