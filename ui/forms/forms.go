// Package forms holds what the create/update forms share: the mapping of
// API error codes back to form fields, and a small vertical field list. Forms never do
// I/O: they emit a message carrying the request body, the root model runs
// the call in a tea.Cmd and hands an error back with SetServerError.
package forms

import (
	"errors"
	"fmt"
	"strings"

	"charm.land/bubbles/v2/key"
	"charm.land/bubbles/v2/textinput"
	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"

	"matui/client"
	"matui/ui/dialog"
	"matui/ui/text"
	"matui/ui/uictx"
)

// Field keys shared by the forms and the API error mapping. A form's other
// keys are the API's property paths (image_id, volume.capacity, pool_id,
// custom_spec.cpu, …), so that a property an error message names finds its
// field (ServerFieldError, Set.ServerError).
const (
	KeyName        = "name"
	KeyDescription = "description"
	KeyFlavor      = "flavor"
	KeyStorage     = "storage" // storage path / volume
	KeyDuration    = "duration"
	KeyAutoStop    = "auto_stop" // Gen 1's on/off
	KeyImage       = "image_id"
	KeyKeyPairs    = "endpoints.key_pair_names"
	// KeyStorageType and KeyStorageSize are the storage's kind (EVS, EFS,
	// obs) and size, where a form has fields for them.
	KeyStorageType = "volume.category"
	KeyStorageSize = "volume.capacity"
	// KeyPool is a create form's dedicated pool, KeyImageTag the tag of an
	// image being saved (its name is KeyName there).
	KeyPool     = "pool_id"
	KeyImageTag = "tag"
)

// ServerFieldError maps an API error to the form field it is about: the
// codes of reference §6.2 that name a field, and for the generic ones
// (6335 "'{}' is a required property", 6336 "'{}' property value
// incorrect", 6347 "… the '{}' parameter cannot be modified", 0107, …) the
// property the message names, as a field key (fieldOfProperty). lockedField
// is the form's guess for a 6347 whose message names no parameter. ok is
// false when the error is about no one field (the form shows it as a
// banner); msg is the sanitised "code: message" either way.
func ServerFieldError(err error, lockedField string) (field, msg string, ok bool) {
	var ae *client.APIError
	if !errors.As(err, &ae) {
		return "", "", false
	}
	msg = text.Sanitize(ae.Code + ": " + ae.Message)
	if f := fieldOfCode(ae.Code); f != "" {
		return f, msg, true
	}
	prop := propertyIn(ae.Message)
	switch ae.Code {
	case "ModelArts.6334":
		// One code for both; the message usually says which.
		if prop == KeyDescription || strings.Contains(strings.ToLower(ae.Message), "desc") {
			return KeyDescription, msg, true
		}
		return KeyName, msg, true
	case "ModelArts.6347":
		if prop == "" {
			prop = lockedField
		}
	case "ModelArts.6335", "ModelArts.6336", "ModelArts.0101", "ModelArts.0104", "ModelArts.0107",
		"ModelArts.6332", "ModelArts.6400", "ModelArts.6600":
	default:
		return "", msg, false
	}
	if prop == "" {
		return "", msg, false
	}
	return fieldOfProperty(prop), msg, true
}

// fieldOfCode is the field a code of reference §6.2 is always about, ""
// for the codes that name none (or name it in the message).
func fieldOfCode(code string) string {
	switch code {
	case "ModelArts.6301": // an instance of that name exists
		return KeyName
	case "ModelArts.6316", "ModelArts.6317", "ModelArts.6318", "ModelArts.6358", // storage, OBS path missing / not a directory
		"ModelArts.6320", "ModelArts.6371", "ModelArts.6624": // OBS access, bucket class, path does not exist
		return KeyStorage
	case "ModelArts.6324": // storage type not supported
		return KeyStorageType
	case "ModelArts.6331": // EVS size out of range
		return KeyStorageSize
	case "ModelArts.6323", "ModelArts.6328", "ModelArts.6329", "ModelArts.6330", // not supported, no permission, sold out, profile type
		"ModelArts.6716", "ModelArts.6792", "ModelArts.6870": // sold out, cannot switch, feature
		return KeyFlavor
	case "ModelArts.6346", "ModelArts.6348", "ModelArts.6349": // auto-stop in the past, missing, out of range
		return KeyDuration
	case "ModelArts.6768", "ModelArts.6789": // SSH-only image without SSH config, no permission for the key pair
		return KeyKeyPairs
	case "ModelArts.6797": // image not found
		return KeyImage
	case "ModelArts.1002", "ModelArts.1003": // OBS operation failed, no OBS permission (a mount's uri)
		return KeyStorage
	case "ModelArts.6355": // the dedicated pool is still initializing
		return KeyPool
	case "ModelArts.6737": // an image of that name and tag exists (save as image)
		return KeyImageTag
	}
	return ""
}

// propertyIn returns the property a ModelArts message names in single
// quotes: the one followed by "parameter"/"property"/"is a required" when
// several are quoted (6347 quotes the status first), else the first that
// looks like a property path; "" when none does.
func propertyIn(message string) string {
	first := ""
	rest := message
	for {
		i := strings.IndexByte(rest, '\'')
		if i < 0 {
			return first
		}
		j := strings.IndexByte(rest[i+1:], '\'')
		if j < 0 {
			return first
		}
		tok, after := rest[i+1:i+1+j], rest[i+2+j:]
		rest = after
		if !isPropertyPath(tok) {
			continue
		}
		after = strings.TrimSpace(after)
		switch {
		case strings.HasPrefix(after, "parameter"), strings.HasPrefix(after, "property"), strings.HasPrefix(after, "is a required"):
			return tok
		case strings.HasPrefix(after, "status"):
			continue
		}
		if first == "" {
			first = tok
		}
	}
}

// isPropertyPath reports whether s looks like a JSON property path
// (name, spec.auto_stop.duration, endpoints[0].allowed_access_ips[2]).
func isPropertyPath(s string) bool {
	if s == "" || len(s) > 256 {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
		case i > 0 && (r >= '0' && r <= '9' || r == '.' || r == '[' || r == ']'):
		default:
			return false
		}
	}
	return true
}

// fieldOfProperty maps an API property path to a field key: list indices
// dropped (endpoints[0].allowed_access_ips[2] → endpoints.allowed_access_ips),
// the paths of the shared fields to their keys (every auto-stop duration
// to KeyDuration, the Gen 1 storage to KeyStorage, a hook's script to
// hooks.script). Other paths are kept: Set.ServerError finds the nearest
// field along them.
func fieldOfProperty(p string) string {
	var b strings.Builder
	for i := 0; i < len(p); i++ {
		if p[i] == '[' {
			if j := strings.IndexByte(p[i:], ']'); j >= 0 {
				i += j
				continue
			}
		}
		b.WriteByte(p[i])
	}
	p = b.String()
	switch p {
	case "duration", "lease.duration", "spec.auto_stop.duration", "auto_stop.duration":
		return KeyDuration
	case "storage", "spec.storage", "spec.storage.location", "spec.storage.location.path", "location.path", "path":
		return KeyStorage
	case "spec.storage.type":
		return KeyStorageType
	case "auto_stop", "spec.auto_stop", "spec.auto_stop.enable", "auto_stop.enable":
		return KeyAutoStop
	case "ssh_keys", "endpoints.ssh_keys":
		return KeyKeyPairs
	}
	if strings.HasPrefix(p, "hooks.") && strings.HasSuffix(p, ".script") {
		return "hooks.script"
	}
	return p
}

// Kind is what a field holds.
type Kind int

const (
	Text   Kind = iota // free text
	Choice             // one of Options, ←/→ cycles
	Action             // a value chosen in a sub-view; space opens it
)

// Field is one row of a form.
type Field struct {
	Key     string // error key, e.g. KeyName
	Label   string
	Kind    Kind
	Input   textinput.Model
	Options []string
	Choice  int
	Value   string // Action: the chosen value's display
	Hint    string
	Err     string
	// Locked, when set, is why the field cannot be changed (shown instead
	// of accepting input).
	Locked string
	Hidden bool
	// Edited is set once the user changed the field; its error is shown
	// from then on (before that only after a submit or review attempt).
	Edited bool
	// Suggestions are values a Text field offers (ctrl+n / ctrl+p fill in
	// the next / previous one matching what was typed); any other value
	// may still be typed.
	Suggestions []string

	cycling  bool   // ctrl+n/ctrl+p are stepping through the matches
	sugQuery string // what was typed when the stepping began
	sugIdx   int

	kept string // the prefilled value, as the field shows it (Keep)
}

// Keep records the field's current value as the stored one an edit form
// was opened with; Changed compares against it. Comparing what the field
// shows, not the stored value, is what keeps an untouched field out of the
// request when the two differ (a duration shown as "1h30m", a description
// whose newline the input turned into a space, a list re-joined with ", ").
func (f *Field) Keep() { f.kept = f.Text() }

// Changed reports whether the value differs from the one Keep recorded
// (typing and then undoing it is no change).
func (f *Field) Changed() bool { return f.Text() != f.kept }

// Matches returns the suggestions containing what the user typed (case
// insensitive), all of them for an empty field.
func (f *Field) Matches() []string {
	q := f.Input.Value()
	if f.cycling {
		q = f.sugQuery
	}
	q = strings.ToLower(strings.TrimSpace(q))
	var out []string
	for _, s := range f.Suggestions {
		if strings.Contains(strings.ToLower(s), q) {
			out = append(out, s)
		}
	}
	return out
}

// cycle fills in the next (d = 1) or previous (d = -1) matching
// suggestion; it reports whether the value changed.
func (f *Field) cycle(d int) bool {
	if !f.cycling {
		f.sugQuery, f.sugIdx = f.Input.Value(), -1
		f.cycling = true
	}
	m := f.Matches()
	if len(m) == 0 {
		f.cycling = false
		return false
	}
	if f.sugIdx < 0 && d < 0 {
		f.sugIdx = len(m) - 1
	} else {
		f.sugIdx = (f.sugIdx + d + len(m)) % len(m)
	}
	before := f.Input.Value()
	f.Input.SetValue(m[f.sugIdx])
	f.Input.CursorEnd()
	return f.Input.Value() != before
}

// Text returns the field's current text (Text fields) or option.
func (f *Field) Text() string {
	switch f.Kind {
	case Text:
		return f.Input.Value()
	case Choice:
		if f.Choice >= 0 && f.Choice < len(f.Options) {
			return f.Options[f.Choice]
		}
		return ""
	}
	return f.Value
}

// Event is what a key did to the field list.
type Event int

const (
	EventNone     Event = iota
	EventChanged        // a value changed
	EventPastEnd        // enter on the last visible field
	EventActivate       // space/enter-less open of an Action field
)

// Set is a vertical list of fields with one focused.
type Set struct {
	ctx    *uictx.Context
	Fields []*Field
	Focus  int
	// Attempted is set once the user tried to review or submit: every
	// field's error is shown from then on.
	Attempted bool
}

// Reveal shows every field's error from now on (a review or submit was
// attempted, or the server refused the request).
func (s *Set) Reveal() { s.Attempted = true }

// Shown reports whether f's error is displayed: a fresh form does not greet
// the user with "name is required" before they typed anything.
func (s *Set) Shown(f *Field) bool { return f.Edited || s.Attempted }

// Invalid returns the labels of the visible fields that have an error.
func (s *Set) Invalid() []string {
	var out []string
	for _, f := range s.Fields {
		if f.Err != "" && !f.Hidden {
			out = append(out, f.Label)
		}
	}
	return out
}

// DisabledReason says why review/submit is disabled ("" when every field
// is valid). It names the fields, not their errors, so it is fit for a
// fresh form too.
func (s *Set) DisabledReason(action string) string {
	bad := s.Invalid()
	switch len(bad) {
	case 0:
		return ""
	case 1:
		return action + " disabled until " + bad[0] + " is valid"
	}
	return action + " disabled until " + strings.Join(bad, ", ") + " are valid"
}

// NewSet returns a set over fields.
func NewSet(ctx *uictx.Context, fields ...*Field) *Set {
	s := &Set{ctx: ctx, Fields: fields}
	s.focusInput()
	return s
}

// NewText is a text field with an initial value, sanitised (edit forms
// prefill from the API; the field reports Changed against what it shows).
func NewText(ctx *uictx.Context, key, label, value string) *Field {
	in := dialog.NewInput(ctx, "")
	in.CharLimit = 1024
	in.SetValue(text.Sanitize(value))
	return &Field{Key: key, Label: label, Kind: Text, Input: in}
}

// Keep records every field's current value as its stored one (see
// Field.Keep): an edit form calls it once it is prefilled.
func (s *Set) Keep() {
	for _, f := range s.Fields {
		f.Keep()
	}
}

// Get returns the field with key, or nil.
func (s *Set) Get(key string) *Field {
	for _, f := range s.Fields {
		if f.Key == key {
			return f
		}
	}
	return nil
}

// Current is the focused field.
func (s *Set) Current() *Field { return s.Fields[s.Focus] }

// FocusKey moves the focus to key (e.g. the field a server error is about).
func (s *Set) FocusKey(key string) {
	for i, f := range s.Fields {
		if f.Key == key && !f.Hidden {
			s.Focus = i
			s.focusInput()
			return
		}
	}
}

func (s *Set) focusInput() {
	for i, f := range s.Fields {
		if f.Kind == Text {
			if i == s.Focus && f.Locked == "" {
				f.Input.Focus()
			} else {
				f.Input.Blur()
			}
		}
	}
}

func (s *Set) move(delta int) bool {
	for i := s.Focus + delta; i >= 0 && i < len(s.Fields); i += delta {
		if !s.Fields[i].Hidden {
			s.Focus = i
			s.focusInput()
			return true
		}
	}
	return false
}

// HandleKey applies one key press, read through the key map: fields move
// with NextField/PrevField (Confirm moves on too), a choice cycles with
// OptionPrev/OptionNext (or Activate), an action field opens with Activate
// (or OptionNext), a text field offers its suggestions with
// SuggestNext/SuggestPrev and takes every other key as typing.
func (s *Set) HandleKey(k tea.KeyPressMsg) (Event, tea.Cmd) {
	km := &s.ctx.Keys
	f := s.Current()
	switch {
	case key.Matches(k, km.NextField):
		s.move(1)
		return EventNone, nil
	case key.Matches(k, km.PrevField):
		s.move(-1)
		return EventNone, nil
	case key.Matches(k, km.Confirm):
		if !s.move(1) {
			return EventPastEnd, nil
		}
		return EventNone, nil
	}
	if f.Locked != "" {
		return EventNone, nil
	}
	if f.Kind == Text && len(f.Suggestions) > 0 && key.Matches(k, km.SuggestNext, km.SuggestPrev) {
		d := 1
		if key.Matches(k, km.SuggestPrev) {
			d = -1
		}
		if f.cycle(d) {
			f.Edited = true
			return EventChanged, nil
		}
		return EventNone, nil
	}
	switch f.Kind {
	case Choice:
		switch {
		case key.Matches(k, km.OptionPrev):
			f.Choice = (f.Choice + len(f.Options) - 1) % len(f.Options)
			f.Edited = true
			return EventChanged, nil
		case key.Matches(k, km.OptionNext, km.Activate):
			f.Choice = (f.Choice + 1) % len(f.Options)
			f.Edited = true
			return EventChanged, nil
		}
	case Action:
		if key.Matches(k, km.Activate, km.OptionNext) {
			return EventActivate, nil
		}
	case Text:
		before := f.Input.Value()
		var cmd tea.Cmd
		f.Input, cmd = f.Input.Update(k)
		if f.Input.Value() != before {
			f.Edited = true
			f.cycling = false
			return EventChanged, cmd
		}
		return EventNone, cmd
	}
	return EventNone, nil
}

// View renders the fields width cells wide.
func (s *Set) View(width int) string {
	st := &s.ctx.Styles
	const labelW = 16
	valueW := max(width-labelW-2, 10)
	var lines []string
	for i, f := range s.Fields {
		if f.Hidden {
			continue
		}
		mark := "  "
		if i == s.Focus {
			mark = "▸ "
		}
		var v string
		switch f.Kind {
		case Text:
			f.Input.SetWidth(max(valueW-1, 1))
			v = f.Input.View()
		case Choice:
			var opts []string
			for j, o := range f.Options {
				if j == f.Choice {
					opts = append(opts, st.Selected.Render("("+o+")"))
				} else {
					opts = append(opts, " "+o+" ")
				}
			}
			v = strings.Join(opts, "")
		case Action:
			v = text.Sanitize(f.Value)
			if v == "" {
				v = st.Muted.Render("(none)")
			}
			if i == s.Focus && f.Locked == "" {
				v += st.Muted.Render("  " + s.ctx.Keys.Activate.Help().Key + " to choose")
			}
		}
		lines = append(lines, text.Truncate(mark+text.Fit(f.Label, labelW)+v, width))
		indent := strings.Repeat(" ", labelW+2)
		wrap := func(msg string, style func(...string) string) {
			for _, l := range strings.Split(ansi.Wordwrap(msg, valueW, ""), "\n") {
				lines = append(lines, text.Truncate(indent+style(l), width))
			}
		}
		switch {
		case f.Locked != "":
			wrap("🔒 "+f.Locked, st.Muted.Render)
		case f.Err != "" && s.Shown(f):
			wrap("✗ "+f.Err, st.Danger.Render)
		case f.Hint != "" && i == s.Focus:
			wrap(f.Hint, st.Muted.Render)
		}
		if i == s.Focus && f.Kind == Text && f.Locked == "" && len(f.Suggestions) > 0 {
			if m := f.Matches(); len(m) > 0 {
				km := &s.ctx.Keys
				lines = append(lines, text.Truncate(indent+st.Muted.Render(km.SuggestNext.Help().Key+"/"+km.SuggestPrev.Help().Key+" fill in one of:"), width))
				const most = 8
				for j, v := range m {
					if j == most {
						lines = append(lines, text.Truncate(indent+st.Muted.Render(fmt.Sprintf("… %d more; type to narrow", len(m)-most)), width))
						break
					}
					mark := "· "
					if v == f.Input.Value() {
						mark = "▹ "
					}
					lines = append(lines, text.Truncate(indent+st.Muted.Render(mark+text.Sanitize(v)), width))
				}
			} else {
				wrap("no suggestion matches; the value is sent as typed", st.Muted.Render)
			}
		}
	}
	return strings.Join(lines, "\n")
}

// Esc actions: what esc does in a form's current step, for the footer the
// root model draws around a form (EscAction methods).
const (
	EscCancel      = "cancel"
	EscBackToForm  = "back to the form"
	EscKeepEditing = "keep editing"
)

// ErrText formats a validator error for display under its field.
func ErrText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
