package termsafe

import (
	"bytes"
	"encoding/json"

	"matui/model/jsonscan"
)

// JSON returns the JSON document b with every string in it — member names
// and values, at any depth — passed through String, and everything else
// byte for byte as it was. A string is decoded first, so an escaped
// "\u001b" or "\u202e" is cleaned like a raw one (`jq -r` would otherwise
// bring it back to life), and re-encoded only when cleaning changed it.
// Text that is not valid JSON is returned as Text(b) would make it.
func JSON(b []byte) []byte {
	if !json.Valid(b) {
		return []byte(Text(string(b)))
	}
	var out []byte // nil until the first change
	last := 0      // b[last:i] is not yet copied to out
	for i := 0; i < len(b); i++ {
		if b[i] != '"' {
			continue
		}
		end := jsonscan.StringEnd(b, i) // b is valid: the string ends
		tok := b[i:end]
		if repl, changed := cleanToken(tok); changed {
			if out == nil {
				out = make([]byte, 0, len(b))
			}
			out = append(out, b[last:i]...)
			out = append(out, repl...)
			last = end
		}
		i = end - 1
	}
	if out == nil {
		return b
	}
	return append(out, b[last:]...)
}

// cleanToken returns the cleaned form of one JSON string token and whether
// it differs from tok.
func cleanToken(tok []byte) ([]byte, bool) {
	plain := true
	for _, c := range tok {
		if c == '\\' || c < 0x20 || c >= 0x7f {
			plain = false
			break
		}
	}
	if plain {
		return tok, false
	}
	var s string
	if err := json.Unmarshal(tok, &s); err != nil {
		return tok, false // cannot happen: b is valid
	}
	c := String(s)
	if c == s {
		return tok, false
	}
	return encodeString(c), true
}

// encodeString renders s as a JSON string without HTML escaping, so that a
// cleaned "a<b" reads as it did.
func encodeString(s string) []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// MarshalIndent is json.MarshalIndent(v, "", "  ") with every string
// cleaned: what a form's review screen shows of a request body holding
// strings from the API. (The request itself is sent as built; only what is
// displayed is cleaned.)
func MarshalIndent(v any) ([]byte, error) {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return JSON(b), nil
}
