package termsafe_test

import (
	"encoding/json"
	"strings"
	"testing"

	"matui/model/termsafe"
	"matui/model/termsafe/termsafetest"
)

const Hostile = termsafetest.Hostile

func TestString(t *testing.T) {
	cases := []struct{ name, in, want string }{
		{"plain", "notebook-01", "notebook-01"},
		{"csi colour", "\x1b[31mred\x1b[0m", "red"},
		{"csi clear screen", "a\x1b[2Jb", "ab"},
		{"osc title BEL", "x\x1b]0;pwned\x07y", "xy"},
		{"osc 52 clipboard", "a\x1b]52;c;cHduZWQ=\x07b", "ab"},
		{"osc 8 hyperlink ST", "\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\", "link"},
		{"dcs", "a\x1bP1$qm\x1b\\b", "ab"},
		{"apc sos pm", "a\x1b_x\x1b\\b\x1bXy\x1b\\c\x1b^z\x1b\\d", "abcd"},
		{"lone esc at end", "ab\x1b", "ab"},
		{"c0 controls", "a\x00b\x07c\x08d", "abcd"},
		{"newline and tab", "a\nb\tc\r", "a b c "},
		{"del", "a\x7fb", "ab"},
		{"c1 csi", "a\u009b31mb", "ab"},
		{"c1 other", "a\u0085b\u009cc", "abc"},
		{"c1 osc", "a\u009d0;title\u0007b", "ab"},
		{"c1 dcs to st", "a\u0090q#1\u009cb", "ab"},
		{"bidi override", "abc\u202Egpj.exe", "abcgpj.exe"},
		{"bidi isolates and marks", "a\u2066b\u2069c\u200ed\u200fe\u061cf", "abcdef"},
		{"invalid utf8", "a\xffb", "a\uFFFDb"},
		{"cjk kept", "笔记本-实验", "笔记本-实验"},
		{"emoji kept", "nb🚀", "nb🚀"},
		{"hostile", Hostile, "ok\uFFFD"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := termsafe.String(c.in)
			if got != c.want {
				t.Fatalf("termsafe.String(%q) = %q, want %q", c.in, got, c.want)
			}
			if !termsafe.IsSafe(got) || strings.ContainsAny(got, "\n\t") {
				t.Fatalf("unsafe result %q", got)
			}
		})
	}
}

func TestTextKeepsLinesOnly(t *testing.T) {
	in := "line 1\r\nline\t2\x1b[2K\r\u202eline 3\u009b1A"
	want := "line 1\nline\t2line 3"
	if got := termsafe.Text(in); got != want {
		t.Fatalf("Text = %q, want %q", got, want)
	}
}

func TestLine(t *testing.T) {
	cases := []struct {
		in   string
		max  int
		want string
	}{
		{"  a \n\t b  ", 0, "a b"},
		{"abcdef", 3, "abc…"},
		{"ab cd", 3, "ab …"},
		{"ab cd", 5, "ab cd"},
		{"ab\u202e cd\x1b[1m", 0, "ab cd"},
		{"笔记本笔记本", 2, "笔记…"},
	}
	for _, c := range cases {
		if got := termsafe.Line(c.in, c.max); got != c.want {
			t.Errorf("termsafe.Line(%q, %d) = %q, want %q", c.in, c.max, got, c.want)
		}
	}
}

func TestIsSafe(t *testing.T) {
	for _, s := range []string{"\x1b", "\u009b", "\u202e", "\x00", "\xff", "a\u2069"} {
		if termsafe.IsSafe(s) {
			t.Errorf("termsafe.IsSafe(%q)", s)
		}
	}
	for _, s := range []string{"", "abc", "a\nb", "笔记本 🚀", "\uFFFD"} {
		if !termsafe.IsSafe(s) {
			t.Errorf("!termsafe.IsSafe(%q)", s)
		}
	}
}

// Every string of a document is cleaned, escaped or not, keys included,
// and the rest stays byte for byte (member order, numbers, spacing).
func TestJSON(t *testing.T) {
	in := `{"b" : "x\u001b[31my", "a":[1.50, "\u009b2J", {"k\u202e":"ok"}, "caf\u00e9", "<&>"], "n":null, "raw":"` +
		"\u009d8;;x\u009c" + `z"}`
	want := `{"b" : "xy", "a":[1.50, "", {"k":"ok"}, "caf\u00e9", "<&>"], "n":null, "raw":"z"}`
	got := termsafe.JSON([]byte(in))
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
	clean := `{"a":"plain","b":[1,2]}`
	if got := termsafe.JSON([]byte(clean)); string(got) != clean {
		t.Fatalf("clean document changed: %s", got)
	}
	var v any
	if err := json.Unmarshal(got, &v); err != nil {
		t.Fatal(err)
	}
	// Not JSON: treated as text.
	if got := string(termsafe.JSON([]byte("oops \x1b[2J\u202e{"))); got != "oops {" {
		t.Fatalf("invalid JSON: %q", got)
	}
}

func TestMarshalIndent(t *testing.T) {
	b, err := termsafe.MarshalIndent(map[string]any{"name": "nb\u009b31m\u202e", "n": 1})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n  \"n\": 1,\n  \"name\": \"nb\"\n}"
	if string(b) != want {
		t.Fatalf("got %q", b)
	}
}

type inner struct {
	S  string
	P  *string
	M  map[string]string
	A  any
	Ar [2]string
}

type outer struct {
	Name   string
	Named  kind
	Inner  inner
	Ptr    *inner
	List   []inner
	Nums   []int
	hidden string
	Any    any
}

type kind string

func TestCopyCleansEveryStringAndLeavesTheOriginal(t *testing.T) {
	h := Hostile
	in := outer{
		Name: h, Named: kind(h),
		Inner:  inner{S: h, P: &h, M: map[string]string{h: h}, A: []any{h, map[string]any{"k": h}}, Ar: [2]string{h, h}},
		Ptr:    &inner{S: h},
		List:   []inner{{S: h}, {S: "fine"}},
		Nums:   []int{1, 2},
		hidden: h,
		Any:    h,
	}
	out := termsafe.Copy(in)
	b, err := json.Marshal(out)
	if err != nil {
		t.Fatal(err)
	}
	var back any
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	termsafetest.EachString(back, func(_, s string) {
		if !termsafe.IsSafe(s) {
			t.Errorf("unclean string %q in %s", s, b)
		}
	})
	if out.Name != "ok\uFFFD" || string(out.Named) != "ok\uFFFD" || *out.Inner.P != "ok\uFFFD" || out.List[1].S != "fine" {
		t.Fatalf("copy %+v", out)
	}
	if out.hidden != h {
		t.Fatal("an unexported field was not copied as it is")
	}
	if in.Name != h || *in.Inner.P != h || in.List[0].S != h || in.Inner.M[h] != h {
		t.Fatal("the original was modified")
	}
	if &in.Nums[0] != &out.Nums[0] {
		t.Error("a slice without strings was copied")
	}
}

type node struct {
	Name string
	Next *node
}

// A cycle ends at the depth bound instead of recursing forever.
func TestCopyCycle(t *testing.T) {
	n := &node{Name: "a\x1b"}
	n.Next = n
	out := termsafe.Copy(n)
	if out.Name != "a" || out.Next.Name != "a" {
		t.Fatalf("%+v", out)
	}
}

// Whatever comes in, String's result is safe, and so is every string of
// JSON's result, which stays valid JSON when it was.
func FuzzSanitisers(f *testing.F) {
	f.Add(Hostile)
	f.Add(`{"a":"\u001b[31m","b":["\u009b2J"]}`)
	f.Add("\x1b]8;;x\x1b\\y\u009d0;t\u009c")
	f.Fuzz(func(t *testing.T, s string) {
		if out := termsafe.String(s); !termsafe.IsSafe(out) || strings.ContainsAny(out, "\n\t") {
			t.Fatalf("String(%q) = %q", s, out)
		}
		if out := termsafe.Text(s); !termsafe.IsSafe(out) || strings.Contains(out, "\r") {
			t.Fatalf("Text(%q) = %q", s, out)
		}
		out := termsafe.JSON([]byte(s))
		if !json.Valid([]byte(s)) {
			return
		}
		var v any
		if err := json.Unmarshal(out, &v); err != nil {
			t.Fatalf("JSON(%q) = %q: %v", s, out, err)
		}
		termsafetest.EachString(v, func(_, str string) {
			if !termsafe.IsSafe(str) || strings.ContainsAny(str, "\n\t") {
				t.Fatalf("JSON(%q) kept %q", s, str)
			}
		})
	})
}
