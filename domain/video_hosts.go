package domain

import "strings"

// HostPreference orders who should host an interview's meeting: the
// interviewers' own video users (matched by email) first, in the order the
// interviewers are listed, then the default host (the authorizing user).
// The caller takes the first one not already hosting at that time, since
// a Zoom host runs one meeting at a time.
func HostPreference(interviewerEmails []string, hosts []VideoHost) []string {
	var out []string
	seen := map[string]bool{}
	add := func(id string) {
		if id != "" && !seen[id] {
			seen[id] = true
			out = append(out, id)
		}
	}
	for _, e := range interviewerEmails {
		for _, h := range hosts {
			if strings.EqualFold(strings.TrimSpace(h.Email), strings.TrimSpace(e)) {
				add(h.ID)
			}
		}
	}
	for _, h := range hosts {
		if h.Default {
			add(h.ID)
		}
	}
	return out
}
