package domain_test

import (
	"testing"

	"interviewplanner/domain"
)

func TestInterviewerAccess(t *testing.T) {
	const self, other = 7, 8
	tests := []struct {
		role      domain.Role
		id        int64
		see, edit bool
	}{
		{domain.RoleInterviewer, self, true, true},
		{domain.RoleInterviewer, other, false, false},
		{domain.RoleScheduler, other, true, false},
		{domain.RoleAdmin, other, true, true},
	}
	for _, tt := range tests {
		u := &domain.User{ID: self, Role: tt.role}
		if got := u.CanSeeInterviewer(tt.id); got != tt.see {
			t.Errorf("%s CanSeeInterviewer(%d) = %v, want %v", tt.role, tt.id, got, tt.see)
		}
		if got := u.CanEditInterviewer(tt.id); got != tt.edit {
			t.Errorf("%s CanEditInterviewer(%d) = %v, want %v", tt.role, tt.id, got, tt.edit)
		}
	}
}
