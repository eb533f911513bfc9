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

// HostOrder is who may host an interview's meeting, best first: the host
// the coordinator picked (choice) while the provider still has that user,
// then HostPreference. The meeting worker gives the meeting to the first
// of them not hosting another meeting at that time, and Find times plans
// with the same order (FirstFreeHost), so a proposed schedule never ends
// in "every possible host is busy".
func HostOrder(interviewerEmails []string, choice string, hosts []VideoHost) []string {
	pref := HostPreference(interviewerEmails, hosts)
	if choice == "" {
		return pref
	}
	for _, h := range hosts {
		if h.ID == choice {
			out := []string{choice}
			for _, id := range pref {
				if id != choice {
					out = append(out, id)
				}
			}
			return out
		}
	}
	return pref
}

// FirstFreeHost is the first host of order for which free says yes; ""
// when none is.
func FirstFreeHost(order []string, free func(hostID string) bool) string {
	for _, id := range order {
		if free(id) {
			return id
		}
	}
	return ""
}
