package web

// KeptFieldPrefix is put before the name of each field of a kept form
// while the sign-in form carries it, so that no field of the editor's form
// can be taken for the sign-in form's own email, password or next.
const KeptFieldPrefix = "kept."

// KeptActionField names the sign-in form's field that holds the kept
// form's action; it lacks KeptFieldPrefix, so no kept field can collide.
const KeptActionField = "kept_action"

// KeptForm is a form sent after the editor's session ended, carried through
// sign-in so that it can be sent again: where it was going (a local path)
// and every field it held but a password.
type KeptForm struct {
	Action string
	Fields []KeptField // by name, each name's values in the order sent
}

// KeptField is one value of a kept form.
type KeptField struct {
	Name  string
	Value string
}

// ResubmitView is the page after signing in with a kept form: it offers to
// send the form again, unchanged, or to drop it and go to Next.
type ResubmitView struct {
	Name string // the person now signed in
	Next string
	Kept *KeptForm
}
