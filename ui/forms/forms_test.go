package forms

import (
	"errors"
	"fmt"
	"testing"

	"matui/client"
)

func TestServerFieldError(t *testing.T) {
	cases := []struct {
		code, message, locked, field string
		ok                           bool
	}{
		{"ModelArts.6318", "The param path needs to end with /.", "", KeyStorage, true},
		{"ModelArts.6358", "bad storage", "", KeyStorage, true},
		{"ModelArts.6349", "x", "", KeyDuration, true},
		{"ModelArts.6348", "x", "", KeyDuration, true},
		{"ModelArts.6334", "invalid name", "", KeyName, true},
		{"ModelArts.6334", "invalid description", "", KeyDescription, true},
		{"ModelArts.6792", "flavor sold out", "", KeyFlavor, true},
		{"ModelArts.6347", "not allowed now", "image_id", "image_id", true},
		{"ModelArts.6347", "not allowed now", "", "", false},
		{"ModelArts.6309", "quota", "", "", false},
	}
	for _, c := range cases {
		// Wrapped, as the root model's command may return it.
		err := fmt.Errorf("create: %w", &client.APIError{Code: c.code, Message: c.message})
		field, msg, ok := ServerFieldError(err, c.locked)
		if field != c.field || ok != c.ok || msg != c.code+": "+c.message {
			t.Errorf("%s %q: got (%q, %q, %v)", c.code, c.message, field, msg, ok)
		}
	}
	if _, _, ok := ServerFieldError(errors.New("network down"), ""); ok {
		t.Error("a non-API error mapped to a field")
	}
}
