package web

// Page is what every page template receives: the layout's needs and the
// page's own data under Data.
type Page struct {
	Title string
	User  *User  // nil when nobody is signed in
	CSRF  string // the token forms must post back
	Nav   string // the active navigation item
	Flash string // a confirmation to show once
	Error string // a problem to show at the top of the page
	// SentenceLinks makes the sentence numbers that end the flash or the
	// error ("…: 3, 5 and 2 more") links to the sentences, on the page
	// that shows them (the review page).
	SentenceLinks bool
	Can           map[string]bool // what the user may do: "import", "users", "decide", "edit"
	RequestID     string
	// Desk holds the header's counts; nil when nobody is signed in.
	Desk *Desk
	// Search is the query the header's search box shows.
	Search string
	Data   any
}

// User is the signed-in person as the layout shows them.
type User struct {
	ID    int64
	Name  string
	Email string
	Role  string
}

// Desk is what the header counts for the signed-in person.
type Desk struct {
	Unread int64 // unread notifications
	Work   int64 // articles on their desk (see models.DeskCounts)
}
