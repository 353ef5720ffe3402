package forms

import (
	"errors"

	"matui/model"
	"matui/ui/text"
)

// SetFieldErrors puts each error of a model validator (a *model.FieldError
// or model.FieldErrors) on the field whose key is its Field, the first one
// a field gets; errors about fields the set lacks are left out.
func (s *Set) SetFieldErrors(err error) {
	var fes model.FieldErrors
	var fe *model.FieldError
	switch {
	case errors.As(err, &fes):
	case errors.As(err, &fe):
		fes = model.FieldErrors{fe}
	}
	for _, e := range fes {
		s.SetError(e.Field, e)
	}
}

// ClearErrors empties every field's error: a form's check starts with it.
func (s *Set) ClearErrors() {
	for _, f := range s.Fields {
		f.Err = ""
	}
}

// SetError puts err on the field with key, unless err is nil, the set has
// no such field or the field has an error already (the first one stays).
func (s *Set) SetError(key string, err error) {
	if f := s.Get(key); err != nil && f != nil && f.Err == "" {
		f.Err = err.Error()
	}
}

// Valid reports whether no visible field has an error.
func (s *Set) Valid() bool { return len(s.Invalid()) == 0 }

// FocusInvalid focuses the first visible field with an error and reports
// whether there was one.
func (s *Set) FocusInvalid() bool {
	for _, f := range s.Fields {
		if f.Err != "" && !f.Hidden {
			s.FocusKey(f.Key)
			return true
		}
	}
	return false
}

// NameOr is how a form names an instance: its sanitised name, else its ID.
func NameOr(name, id string) string {
	if n := text.Sanitize(name); n != "" {
		return n
	}
	return text.Sanitize(id)
}
