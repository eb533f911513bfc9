// Package demo seeds the demo companies on first start: "Acme", whose
// users walk through every feature, and "Globex", so tenancy is visible.
package demo

import (
	"context"
	"fmt"

	"interviewplanner/domain"
	"interviewplanner/store"
)

// Person is one demo user.
type Person struct {
	Email, Name string
	Role        domain.Role
	TimeZone    string
}

// AcmeName is the demo company's name; seeding runs only when it is missing.
const AcmeName = "Acme"

// Acme's users: an admin, two schedulers and twelve interviewers in four
// time zones. The Zoom emulator's demo account matches these addresses.
var Acme = []Person{
	{"admin@example.com", "Ada Lovelace", domain.RoleAdmin, "America/New_York"},
	{"sam@example.com", "Sam Rivera", domain.RoleScheduler, "America/New_York"},
	{"riley@example.com", "Riley Morgan", domain.RoleScheduler, "Europe/London"},
	{"priya@example.com", "Priya Patel", domain.RoleInterviewer, "America/New_York"},
	{"marcus@example.com", "Marcus Chen", domain.RoleInterviewer, "America/New_York"},
	{"jordan@example.com", "Jordan Lee", domain.RoleInterviewer, "America/New_York"},
	{"elena@example.com", "Elena Rossi", domain.RoleInterviewer, "Europe/London"},
	{"tomas@example.com", "Tomás García", domain.RoleInterviewer, "Europe/London"},
	{"hannah@example.com", "Hannah Schmidt", domain.RoleInterviewer, "Europe/London"},
	{"aiko@example.com", "Aiko Tanaka", domain.RoleInterviewer, "America/Los_Angeles"},
	{"diego@example.com", "Diego Alvarez", domain.RoleInterviewer, "America/Los_Angeles"},
	{"grace@example.com", "Grace Kim", domain.RoleInterviewer, "America/Los_Angeles"},
	{"arjun@example.com", "Arjun Mehta", domain.RoleInterviewer, "Asia/Kolkata"},
	{"fatima@example.com", "Fatima Zahra", domain.RoleInterviewer, "Asia/Kolkata"},
	{"noah@example.com", "Noah Williams", domain.RoleInterviewer, "America/New_York"},
}

// Globex is the second demo company.
var Globex = []Person{
	{"admin@globex.example", "Gloria Bex", domain.RoleAdmin, "Europe/Berlin"},
	{"hiring@globex.example", "Hugo Ring", domain.RoleScheduler, "Europe/Berlin"},
	{"kai@globex.example", "Kai Nakamura", domain.RoleInterviewer, "Asia/Tokyo"},
}

// Seeder adds a feature's demo data to a freshly created account.
type Seeder func(ctx context.Context, db *store.DB, account *domain.Account, users map[string]*domain.User) error

// Seed creates the demo companies unless Acme already exists. passwordHash
// is the hash of the demo password, shared by every demo user. Each seeder
// adds one feature's data to Acme (and may look at Globex).
func Seed(ctx context.Context, db *store.DB, passwordHash string, seeders ...Seeder) (created bool, err error) {
	if _, err := db.GetAccountByName(ctx, AcmeName); err == nil {
		return false, nil
	} else if !domain.IsCode(err, domain.ENOTFOUND) {
		return false, err
	}
	for _, company := range []struct {
		name   string
		people []Person
	}{{AcmeName, Acme}, {"Globex", Globex}} {
		acct, err := db.CreateAccount(ctx, company.name)
		if err != nil {
			return false, err
		}
		users := map[string]*domain.User{}
		for _, p := range company.people {
			u, err := db.CreateUser(ctx, acct.ID, store.NewUser{Email: p.Email, Name: p.Name, Role: p.Role, TimeZone: p.TimeZone, PasswordHash: passwordHash})
			if err != nil {
				return false, fmt.Errorf("demo user %s: %w", p.Email, err)
			}
			users[p.Email] = u
		}
		for _, seed := range seeders {
			if err := seed(ctx, db, acct, users); err != nil {
				return false, fmt.Errorf("demo data for %s: %w", company.name, err)
			}
		}
	}
	return true, nil
}
