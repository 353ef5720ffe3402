package model

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
)

// Redacted is what a non-empty Secret prints as.
const Redacted = "[redacted]"

// Secret is a credential carried by an API response (the Gen 2 notebook
// token, Gen 1 credential.ssh_private_key / access_token). Printing it with
// any fmt verb, or logging it with slog, shows "[redacted]"; JSON encoding
// carries the real value because the simulator must send it on the wire and
// the client must be able to read it. Use Reveal for the rare legitimate use.
type Secret string

// Reveal returns the secret's real value.
func (s Secret) Reveal() string { return string(s) }

// String returns "[redacted]", or "" for an empty secret so that "no token"
// stays distinguishable from "a token" in the UI.
func (s Secret) String() string {
	if s == "" {
		return ""
	}
	return Redacted
}

// GoString keeps %#v (and any GoStringer-aware printer) from showing the value.
func (s Secret) GoString() string {
	return fmt.Sprintf("%q", s.String())
}

// Format handles every fmt verb and flag (%v %+v %#v %s %q %x, widths …) by
// formatting the placeholder string instead of the value; without it %x
// or %q of a Secret would print the real bytes.
func (s Secret) Format(f fmt.State, verb rune) {
	fmt.Fprintf(f, fmt.FormatString(f, verb), s.String())
}

// LogValue makes slog print the placeholder too.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON writes the real value: JSON is the wire format.
func (s Secret) MarshalJSON() ([]byte, error) { return json.Marshal(string(s)) }

// UnmarshalJSON reads a string; a number keeps its literal text; anything
// else (null, objects) leaves the secret empty. It never fails.
func (s *Secret) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == 'n' {
		return nil // null: leave unchanged, as encoding/json does for strings
	}
	var f FlexString
	_ = f.UnmarshalJSON(b)
	*s = Secret(f)
	return nil
}
