package forms

// ServerErrors keeps the errors a refused request put on fields. A form
// re-validates on every change (and some on every frame), clearing each
// field's error first, which would drop the server's error at once; a
// form records it here instead and applies it after its own checks, until
// the user changes that field. A kept error is shown, not enforced: the
// form decides validity before applying it, so the same request can be
// sent again (the refusal may have been transient: a pool initializing,
// a quota freed meanwhile).
type ServerErrors map[*Field]serverError

type serverError struct{ msg, value string }

// Place puts err on its field of set as Set.ServerError does, and keeps it
// there until the field changes. It returns the banner text when the
// error is about no field of the form.
func (s *ServerErrors) Place(set *Set, err error, field, msg string, ok bool) (banner string, placed bool) {
	banner, placed = set.ServerError(err, field, msg, ok)
	if !placed {
		return banner, false
	}
	for _, f := range set.Fields {
		if f.Err == msg {
			s.Keep(f, msg)
		}
	}
	return "", true
}

// Reject puts a refused request's error on the form: every field's error
// is revealed, and err goes on the field ServerFieldError maps it to
// (lockedField as there), or rename's name for it where the form calls a
// shared field otherwise, and is kept there (Place). It returns the banner
// to show instead when the error is about no field of the form, else "".
func (s *ServerErrors) Reject(set *Set, err error, lockedField string, rename map[string]string) (banner string) {
	set.Reveal()
	field, msg, ok := ServerFieldError(err, lockedField)
	if r, found := rename[field]; found {
		field = r
	}
	banner, _ = s.Place(set, err, field, msg, ok)
	return banner
}

// Keep puts msg on f and keeps it there until f changes.
func (s *ServerErrors) Keep(f *Field, msg string) {
	if *s == nil {
		*s = ServerErrors{}
	}
	f.Err = msg
	(*s)[f] = serverError{msg: msg, value: f.Text()}
}

// Apply puts each kept error back on its field, unless the field's own
// check found something (that is shown instead) or its value changed
// since (then the error is forgotten).
func (s ServerErrors) Apply() {
	for f, e := range s {
		switch {
		case f.Text() != e.value:
			delete(s, f)
		case f.Err == "":
			f.Err = e.msg
		}
	}
}
