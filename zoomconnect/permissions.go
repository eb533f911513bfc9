package zoomconnect

// Permission is a Zoom role permission the authorizing user needs, in the
// words of Zoom's role page, with the reason InterviewPlanner needs it.
type Permission struct {
	Area  string // the group on Zoom's "Zoom Roles" page
	Label string // the permission as Zoom's role page names it
	Why   string
}

// The role permissions the help article asks for.
var (
	PermUsers = Permission{Area: "User and Permission Management", Label: "Users: View and Edit",
		Why: "to list your Zoom users (so each interviewer hosts their own meetings) and to create, move and delete the interview meetings. It is the most granular role permission Zoom offers for this."}
	PermRooms = Permission{Area: "Zoom Rooms Management", Label: "Zoom Rooms: View",
		Why: "to list your Zoom Rooms, so they can be used as interview locations."}
)

// RequiredPermissions lists every permission, in the article's order.
var RequiredPermissions = []Permission{PermUsers, PermRooms}

// Suggested Zoom role, from the help article.
const (
	SuggestedRoleName        = "InterviewPlanner"
	SuggestedRoleDescription = "Role with the necessary permissions for InterviewPlanner to schedule interviews"
)
