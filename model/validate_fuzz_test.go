package model

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"
)

// fuzzFieldError fails unless err is nil or a *FieldError on the given field
// (or a field below it).
func fuzzFieldError(t *testing.T, err error, field string) {
	t.Helper()
	if err == nil {
		return
	}
	var fe *FieldError
	if !errors.As(err, &fe) {
		t.Fatalf("error is %T, not *FieldError: %v", err, err)
	}
	if fe.Field != field && !strings.HasPrefix(fe.Field, field+".") && !strings.HasPrefix(fe.Field, field+"[") {
		t.Fatalf("error on field %q, want %q: %v", fe.Field, field, err)
	}
	if fe.Rule == "" || fe.Allowed == "" {
		t.Fatalf("error without rule or allowed range: %#v", fe)
	}
	if utf8.RuneCountInString(fe.Value) > valShownMax {
		t.Fatalf("value not shortened: %d runes", utf8.RuneCountInString(fe.Value))
	}
}

func FuzzValidateLabelKey(f *testing.F) {
	for _, s := range []string{
		"kubernetes.io/hostname", "os", "a", "/", "a/", "/a", "a/b/c", "Example.com/x",
		"node.kubernetes.io/instance-type", "-a", "a-", "a.b_c-d", strings.Repeat("n", 64),
		subdomain(253) + "/n", subdomain(254) + "/n", "é", "a\x00", "a..b/c",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, key string) {
		err := ValidateLabelKey(key)
		fuzzFieldError(t, err, "key")
		if err != nil {
			return
		}
		// An accepted key re-validates as accepted, also inside a rule and
		// after a JSON round trip.
		if err := ValidateLabelKey(key); err != nil {
			t.Fatalf("accepted %q, then rejected it: %v", key, err)
		}
		b, jerr := json.Marshal(AffinityRule{Key: key, Operator: OpExists})
		if jerr != nil {
			t.Fatal(jerr)
		}
		var r AffinityRule
		if jerr := json.Unmarshal(b, &r); jerr != nil {
			t.Fatal(jerr)
		}
		if r.Key != key {
			t.Fatalf("JSON changed accepted key %q to %q", key, r.Key)
		}
		if err := ValidateAffinityRule(r, true); err != nil {
			t.Fatalf("accepted key %q, rule with it rejected: %v", key, err)
		}
		// Independent check of the shape: at most one /, name 1–63 ASCII
		// characters alphanumeric at both ends, prefix ≤253 lowercase.
		prefix, name, hasPrefix := strings.Cut(key, "/")
		if !hasPrefix {
			name, prefix = prefix, ""
		}
		if strings.Contains(name, "/") || len(name) == 0 || len(name) > 63 || len(prefix) > 253 ||
			(hasPrefix && prefix == "") || prefix != strings.ToLower(prefix) {
			t.Fatalf("accepted malformed key %q", key)
		}
		isAlnum := func(c byte) bool { return c < utf8.RuneSelf && (unicode.IsLetter(rune(c)) || unicode.IsDigit(rune(c))) }
		if !isAlnum(name[0]) || !isAlnum(name[len(name)-1]) {
			t.Fatalf("accepted name %q not alphanumeric at both ends", name)
		}
	})
}

func FuzzValidateOBSPath(f *testing.F) {
	for _, s := range []string{
		"/bucket/dir/", "obs://bucket/dir/", "/bucket/", "obs://bucket/", "/", "", "//", "/b//d/",
		"/b/d", "obs://", "obs:///b/d/", "/b/ d/", "/b/d/\n", "/b/../", "/b/\xff/", "OBS://b/d/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		err := ValidateOBSPath(path)
		fuzzFieldError(t, err, "spec.storage.location.path")
		if err != nil {
			return
		}
		if !strings.HasSuffix(path, "/") {
			t.Fatalf("accepted %q without a trailing /", path)
		}
		rest, ok := strings.CutPrefix(path, "obs://")
		if !ok {
			rest, ok = strings.CutPrefix(path, "/")
		}
		if !ok {
			t.Fatalf("accepted %q without / or obs:// prefix", path)
		}
		segs := strings.Split(strings.TrimSuffix(rest, "/"), "/")
		if len(segs) < 2 || strings.Contains(rest, "//") || strings.IndexFunc(path, unicode.IsSpace) >= 0 {
			t.Fatalf("accepted %q (bucket root, empty segment or whitespace)", path)
		}
		// A subdirectory of an accepted directory is accepted too, and so is
		// the same path in the other accepted spelling.
		if err := ValidateOBSPath(path + "sub/"); err != nil {
			t.Fatalf("accepted %q but not its subdirectory: %v", path, err)
		}
		other := "obs://" + rest
		if strings.HasPrefix(path, "obs://") {
			other = "/" + rest
		}
		if err := ValidateOBSPath(other); err != nil {
			t.Fatalf("accepted %q but not %q: %v", path, other, err)
		}
	})
}

func FuzzValidateAffinityRule(f *testing.F) {
	for _, s := range []string{
		`{"key":"kubernetes.io/hostname","operator":"In","values":["192.168.1.1"]}`,
		`{"key":"os","operator":"Exists"}`,
		`{"key":"os","operator":"Exists","values":null}`,
		`{"key":"os","operator":"DoesNotExist","values":["x"]}`,
		`{"key":"gpu-count","operator":"Gt","values":["1"],"weight":0}`,
		`{"key":"gpu-count","operator":"Lt","values":["-9223372036854775808"],"weight":100}`,
		`{"key":"os","operator":"in","values":["a"],"weight":101}`,
		`{"key":"a/b/c","operator":"NotIn","values":["", "-x"]}`,
		`{"key":"","operator":"","values":[],"weight":-1}`,
		`null`, `{}`, `[]`,
	} {
		f.Add([]byte(s), true)
		f.Add([]byte(s), false)
	}
	f.Fuzz(func(t *testing.T, data []byte, preferred bool) {
		var r AffinityRule
		if json.Unmarshal(data, &r) != nil {
			return
		}
		err := ValidateAffinityRule(r, preferred)
		switch f := fieldOf(err); {
		case err == nil:
		case f == "key" || f == "operator" || f == "weight":
			fuzzFieldError(t, err, f)
		default:
			fuzzFieldError(t, err, "values")
		}
		if fieldOf(err) == "key" && ValidateLabelKey(r.Key) == nil {
			t.Fatalf("rule rejected for its key %q, which ValidateLabelKey accepts: %v", r.Key, err)
		}
		// The rule validates the same after a JSON round trip.
		b, jerr := json.Marshal(r)
		if jerr != nil {
			t.Fatal(jerr)
		}
		var r2 AffinityRule
		if jerr := json.Unmarshal(b, &r2); jerr != nil {
			t.Fatal(jerr)
		}
		if (ValidateAffinityRule(r2, preferred) == nil) != (err == nil) {
			t.Fatalf("round trip changed the verdict for %s", b)
		}
		if ValidateLabelKey(r.Key) == nil && ValidateLabelKey(r2.Key) != nil {
			t.Fatalf("accepted key %q rejected after a round trip", r.Key)
		}
		// The request-level check of an update agrees with the rule check
		// and points into the right list.
		rules := []AffinityRule{r}
		u := &UpdateNotebookRequest{Affinity: &AffinityUpdate{Required: &rules}}
		list := "affinity.required_during_scheduling_ignored_during_execution[0]"
		if preferred {
			u.Affinity = &AffinityUpdate{Preferred: &rules}
			list = "affinity.preferred_during_scheduling_ignored_during_execution[0]"
		}
		uerr := u.Validate()
		if (uerr == nil) != (err == nil) {
			t.Fatalf("rule verdict %v, request verdict %v", err, uerr)
		}
		var fes FieldErrors
		if uerr != nil {
			if !errors.As(uerr, &fes) {
				t.Fatalf("request error is %T", uerr)
			}
			for _, e := range fes {
				if !strings.HasPrefix(e.Field, list+".") {
					t.Fatalf("request error on %q, want under %s", e.Field, list)
				}
			}
		}
	})
}

// fieldOf returns the Field of a *FieldError, or "".
func fieldOf(err error) string {
	var fe *FieldError
	if errors.As(err, &fe) {
		return fe.Field
	}
	return ""
}
