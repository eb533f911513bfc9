package googleemu

import (
	"net/http"
	"sort"
	"strconv"
	"strings"

	admin "google.golang.org/api/admin/directory/v1"
)

// directoryCustomer resolves the customer or domain parameter and checks
// that the caller administers it: Directory's admin view and resources are
// for administrators only (FACTS #30, #47).
func (e *Emulator) directoryCustomer(w http.ResponseWriter, c *caller, customer, domain string, adminOnly bool) *Customer {
	if c.user == nil || c.customer == nil {
		writeError(w, http.StatusForbidden, "global", "forbidden", "Not Authorized to access this resource/api")
		return nil
	}
	switch {
	case customer == "" && domain == "":
		writeError(w, http.StatusBadRequest, "global", "badRequest", "Bad Request")
		return nil
	case customer != "" && customer != "my_customer" && customer != c.customer.ID,
		domain != "" && !strings.EqualFold(domain, c.customer.Domain):
		writeError(w, http.StatusForbidden, "global", "forbidden", "Not Authorized to access this resource/api")
		return nil
	}
	if adminOnly && !c.user.Admin {
		writeError(w, http.StatusForbidden, "global", "forbidden", "Not Authorized to access this resource/api")
		return nil
	}
	return c.customer
}

// directoryPage is the page r asks for (maxResults, 100 by default, from
// pageToken) of the items keep accepts, ordered by sortKey, and the token
// of the next page ("" on the last).
func directoryPage[T any](r *http.Request, items map[string]*T, keep func(*T) bool, sortKey func(*T) string) (page []*T, next string) {
	var all []*T
	for _, it := range items {
		if keep(it) {
			all = append(all, it)
		}
	}
	sort.Slice(all, func(i, j int) bool { return sortKey(all[i]) < sortKey(all[j]) })
	size := 100
	if v, err := strconv.Atoi(r.URL.Query().Get("maxResults")); err == nil && v > 0 {
		size = v
	}
	from, _ := strconv.Atoi(r.URL.Query().Get("pageToken"))
	from = min(max(from, 0), len(all))
	to := min(from+size, len(all))
	if to < len(all) {
		next = strconv.Itoa(to)
	}
	return all[from:to], next
}

func (e *Emulator) usersList(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.directoryCustomer(w, c, q.Get("customer"), q.Get("domain"), q.Get("viewType") != "domain_public")
	if cust == nil {
		return
	}
	users, next := directoryPage(r, e.st.Users,
		func(u *User) bool { return u.CustomerID == cust.ID && !u.Deleted },
		func(u *User) string { return u.Email })
	out := &admin.Users{Kind: "admin#directory#users", Etag: etag(e.st.Seq), NextPageToken: next, Users: []*admin.User{}}
	for _, u := range users {
		out.Users = append(out.Users, userJSON(u, cust))
	}
	writeJSON(w, http.StatusOK, out)
}

func userJSON(u *User, cust *Customer) *admin.User {
	return &admin.User{Kind: "admin#directory#user", Id: u.ID, Etag: etag(int64(len(u.Email))), PrimaryEmail: u.Email,
		Name: &admin.UserName{GivenName: u.GivenName, FamilyName: u.FamilyName, FullName: u.Name()}, IsAdmin: u.Admin,
		Suspended: u.Suspended, CustomerId: cust.ID, OrgUnitPath: "/"}
}

func (e *Emulator) usersGet(w http.ResponseWriter, r *http.Request, c *caller) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.directoryCustomer(w, c, "my_customer", "", r.URL.Query().Get("viewType") != "domain_public")
	if cust == nil {
		return
	}
	k := r.PathValue("userKey")
	var found *User
	for _, u := range e.st.Users {
		if u.CustomerID == cust.ID && !u.Deleted && (strings.EqualFold(u.Email, k) || u.ID == k) {
			found = u
		}
	}
	if found == nil {
		writeError(w, http.StatusNotFound, "global", "notFound", "Resource Not Found: userKey")
		return
	}
	writeJSON(w, http.StatusOK, userJSON(found, cust))
}

func (e *Emulator) resourcesList(w http.ResponseWriter, r *http.Request, c *caller) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.directoryCustomer(w, c, r.PathValue("customer"), "", true)
	if cust == nil {
		return
	}
	rooms, next := directoryPage(r, e.st.Rooms,
		func(rm *Room) bool { return rm.CustomerID == cust.ID },
		func(rm *Room) string { return rm.Name })
	out := &admin.CalendarResources{Kind: "admin#directory#resources#calendars#calendarResourcesList", Etag: etag(e.st.Seq), NextPageToken: next,
		Items: []*admin.CalendarResource{}}
	for _, rm := range rooms {
		out.Items = append(out.Items, &admin.CalendarResource{Kind: "admin#directory#resources#calendars#CalendarResource",
			Etags: etag(int64(len(rm.Name))), ResourceId: rm.ResourceID, ResourceName: rm.Name, ResourceEmail: rm.Email,
			ResourceCategory: "CONFERENCE_ROOM", ResourceType: "Conference room", Capacity: rm.Capacity, BuildingId: rm.BuildingID,
			FloorName: rm.FloorName, GeneratedResourceName: rm.Name})
	}
	writeJSON(w, http.StatusOK, out)
}

func (e *Emulator) buildingsList(w http.ResponseWriter, r *http.Request, c *caller) {
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.directoryCustomer(w, c, r.PathValue("customer"), "", true)
	if cust == nil {
		return
	}
	bs, next := directoryPage(r, e.st.Buildings,
		func(b *Building) bool { return b.CustomerID == cust.ID },
		func(b *Building) string { return b.ID })
	out := &admin.Buildings{Kind: "admin#directory#resources#buildings#buildingsList", Etag: etag(e.st.Seq), NextPageToken: next, Buildings: []*admin.Building{}}
	for _, b := range bs {
		out.Buildings = append(out.Buildings, &admin.Building{Kind: "admin#directory#resources#buildings#Building", Etags: etag(1),
			BuildingId: b.ID, BuildingName: b.Name, FloorNames: []string{"1"}})
	}
	writeJSON(w, http.StatusOK, out)
}

func etag(n int64) string { return `"` + strconv.FormatInt(n, 36) + `"` }
