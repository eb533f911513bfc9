package instancegen_test

import (
	"reflect"
	"testing"

	"interviewplanner/scheduler"
	"interviewplanner/scheduler/instancegen"
)

func TestEveryFamilyIsValidAndDeterministic(t *testing.T) {
	for _, f := range instancegen.Families {
		t.Run(string(f), func(t *testing.T) {
			a := instancegen.MustGenerate(f, 7)
			if err := scheduler.Validate(a); err != nil {
				t.Fatal(err)
			}
			b := instancegen.MustGenerate(f, 7)
			if !reflect.DeepEqual(a, b) {
				t.Fatal("same family and seed, different instances")
			}
			c := instancegen.MustGenerate(f, 8)
			if reflect.DeepEqual(a, c) {
				t.Fatal("different seeds, identical instances")
			}
		})
	}
}

func TestMediumMatchesTheIssue(t *testing.T) {
	p := instancegen.MustGenerate(instancegen.Medium, 1)
	if len(p.Interviewers) != 50 || len(p.Interviews) != 5 || p.TopN != 20 {
		t.Fatalf("medium: %d interviewers, %d interviews, top %d", len(p.Interviewers), len(p.Interviews), p.TopN)
	}
	zones := map[string]bool{}
	events := 0
	for _, in := range p.Interviewers {
		zones[in.Location.String()] = true
		events += len(in.Busy)
	}
	if len(zones) != 3 {
		t.Errorf("%d time zones, want 3", len(zones))
	}
	// About 2–5 meetings per business day per person over 10 business days.
	if per := events / len(p.Interviewers); per < 15 || per > 60 {
		t.Errorf("%d busy events per interviewer", per)
	}
	for _, iv := range p.Interviews {
		if n := len(iv.Pool); n < 10 || n > 30 {
			t.Errorf("pool of %d", n)
		}
	}
}

func TestUnknownFamily(t *testing.T) {
	if _, err := instancegen.Generate("huge", 1); err == nil {
		t.Fatal("unknown family accepted")
	}
}
