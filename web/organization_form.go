package web

// OrganizationValues are the organization form's fields as typed.
type OrganizationValues struct {
	Name        string
	Slug        string
	Kind        string
	Country     string
	Description string
	ChangeNote  string
	Version     string
}

// OrganizationFormView is the page to create or edit an organization.
type OrganizationFormView struct {
	Heading     string
	Action      string
	CancelURL   string
	CancelLabel string // the breadcrumb's text: where Cancel goes
	Editing     bool
	Values      OrganizationValues
	Errors      FormErrors
	Conflict    *Conflict
	Kinds       []Option
	Countries   []Option
}
