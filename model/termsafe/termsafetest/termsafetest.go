// Package termsafetest helps test that an output is terminal-safe: a
// hostile string with one of every sequence the sanitiser neutralises, a
// filler that puts it into every string field of a value (so a field added
// later is covered without anyone updating the test), and an assertion over
// the exact bytes of an output.
package termsafetest

import (
	"bytes"
	"reflect"
	"testing"
	"unicode/utf8"

	"matui/model/termsafe"
)

// Hostile has one of each: CSI, OSC 52 (clipboard write), OSC 8
// (hyperlink), DCS, 8-bit CSI and OSC, a lone C1 (NEL), bidi override,
// isolate and marks, DEL, NUL and an invalid UTF-8 byte, around the visible
// text "ok". Sanitised, it reads Visible.
const Hostile = "\x1b[31mo\x1b]52;c;cHduZWQ=\x07\x1b]8;;https://evil.example/\x1b\\k\x1b]8;;\x1b\\" +
	"\x1bP1$qm\x1b\\\u009b2J\u009d0;title\u009c\u0085\u202e\u2066\u200f\u061c\x7f\x00\xff"

// Visible is what termsafe.String makes of Hostile.
const Visible = "ok\uFFFD"

// Fill sets every string reachable from the value ptr points to — exported
// struct fields, one element per slice, one entry per map, allocated
// pointers, interfaces — to s. Byte slices (json.RawMessage) are left
// alone: they are not text.
func Fill(ptr any, s string) {
	fill(reflect.ValueOf(ptr).Elem(), s, 0)
}

func fill(v reflect.Value, s string, depth int) {
	if depth > 12 {
		return
	}
	switch v.Kind() {
	case reflect.String:
		v.SetString(s)
	case reflect.Struct:
		for i := range v.NumField() {
			if f := v.Field(i); f.CanSet() {
				fill(f, s, depth+1)
			}
		}
	case reflect.Slice:
		if v.Type().Elem().Kind() == reflect.Uint8 {
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), s, depth+1)
	case reflect.Array:
		for i := range v.Len() {
			fill(v.Index(i), s, depth+1)
		}
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s, depth+1)
	case reflect.Map:
		k := reflect.New(v.Type().Key()).Elem()
		e := reflect.New(v.Type().Elem()).Elem()
		fill(k, s, depth+1)
		fill(e, s, depth+1)
		v.Set(reflect.MakeMap(v.Type()))
		v.SetMapIndex(k, e)
	case reflect.Interface:
		if v.NumMethod() == 0 {
			v.Set(reflect.ValueOf(s))
		}
	}
}

// AssertSafe fails t when out holds an ESC, another C0 control (newline
// and tab excepted), DEL, a C1 control or a bidi control — raw or as a JSON
// \u escape, which `jq -r` would turn back into the real thing — or
// invalid UTF-8.
func AssertSafe(t testing.TB, what string, out []byte) {
	t.Helper()
	if !utf8.Valid(out) {
		t.Errorf("%s: invalid UTF-8", what)
	}
	if i := bytes.IndexByte(out, 0x1b); i >= 0 {
		t.Errorf("%s: ESC at byte %d: %q", what, i, excerpt(out, i))
	}
	for i, r := range string(out) {
		if r != '\n' && r != '\t' && r != 0x1b && (r < 0x20 || (r >= 0x7f && r <= 0x9f) || termsafe.IsBidiControl(r)) {
			t.Errorf("%s: %U at byte %d: %q", what, r, i, excerpt(out, i))
		}
	}
	low := bytes.ToLower(out)
	for _, esc := range []string{`\u001b`, `\u0007`, `\u0000`, `\u007f`, `\u0085`, `\u009b`, `\u009d`, `\u202e`, `\u2066`, `\u200f`, `\u061c`} {
		if i := bytes.Index(low, []byte(esc)); i >= 0 {
			t.Errorf("%s: escaped %s at byte %d: %q", what, esc, i, excerpt(out, i))
		}
	}
}

func excerpt(b []byte, i int) string {
	return string(b[max(0, i-20):min(len(b), i+20)])
}

// EachString calls f for every string in v, a value decoded from JSON into
// an any: each member name (with member "") and each string value (with
// the name of the member it is, or whose array it is in, the value of).
func EachString(v any, f func(member, s string)) {
	eachString("", v, f)
}

func eachString(member string, v any, f func(member, s string)) {
	switch v := v.(type) {
	case string:
		f(member, v)
	case []any:
		for _, e := range v {
			eachString(member, e, f)
		}
	case map[string]any:
		for k, e := range v {
			f("", k)
			eachString(k, e, f)
		}
	}
}
