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

func page(r *http.Request, n, def int) (from, to int, next string) {
	size := def
	if v, err := strconv.Atoi(r.URL.Query().Get("maxResults")); err == nil && v > 0 {
		size = v
	}
	from, _ = strconv.Atoi(r.URL.Query().Get("pageToken"))
	from = min(max(from, 0), n)
	to = min(from+size, n)
	if to < n {
		next = strconv.Itoa(to)
	}
	return from, to, next
}

func (e *Emulator) usersList(w http.ResponseWriter, r *http.Request, c *caller) {
	q := r.URL.Query()
	e.mu.Lock()
	defer e.mu.Unlock()
	cust := e.directoryCustomer(w, c, q.Get("customer"), q.Get("domain"), q.Get("viewType") != "domain_public")
	if cust == nil {
		return
	}
	var users []*User
	for _, u := range e.st.Users {
		if u.CustomerID == cust.ID && !u.Deleted {
			users = append(users, u)
		}
	}
	sort.Slice(users, func(i, j int) bool { return users[i].Email < users[j].Email })
	from, to, next := page(r, len(users), 100)
	out := &admin.Users{Kind: "admin#directory#users", Etag: etag(e.st.Seq), NextPageToken: next, Users: []*admin.User{}}
	for _, u := range users[from:to] {
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
	var rooms []*Room
	for _, rm := range e.st.Rooms {
		if rm.CustomerID == cust.ID {
			rooms = append(rooms, rm)
		}
	}
	sort.Slice(rooms, func(i, j int) bool { return rooms[i].Name < rooms[j].Name })
	from, to, next := page(r, len(rooms), 100)
	out := &admin.CalendarResources{Kind: "admin#directory#resources#calendars#calendarResourcesList", Etag: etag(e.st.Seq), NextPageToken: next,
		Items: []*admin.CalendarResource{}}
	for _, rm := range rooms[from:to] {
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
	var bs []*Building
	for _, b := range e.st.Buildings {
		if b.CustomerID == cust.ID {
			bs = append(bs, b)
		}
	}
	sort.Slice(bs, func(i, j int) bool { return bs[i].ID < bs[j].ID })
	from, to, next := page(r, len(bs), 100)
	out := &admin.Buildings{Kind: "admin#directory#resources#buildings#buildingsList", Etag: etag(e.st.Seq), NextPageToken: next, Buildings: []*admin.Building{}}
	for _, b := range bs[from:to] {
		out.Buildings = append(out.Buildings, &admin.Building{Kind: "admin#directory#resources#buildings#Building", Etags: etag(1),
			BuildingId: b.ID, BuildingName: b.Name, FloorNames: []string{"1"}})
	}
	writeJSON(w, http.StatusOK, out)
}

func etag(n int64) string { return `"` + strconv.FormatInt(n, 36) + `"` }
