package model

import (
	"encoding/json"
	"strings"
	"testing"
)

func nested(n int) string { return strings.Repeat("[", n) + strings.Repeat("]", n) }

func TestLimitDepth(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"a":[1,{"b":2}]}`, `{"a":[1,null]}`},
		{`{"a":[1,2],"b":{}}`, `{"a":[1,2],"b":{}}`},
		{`{"a":[[1]],"s":"[[[[","b":2}`, `{"a":[null],"s":"[[[[","b":2}`},
		{`[{"k":{"x":"a\"]}"}},3]`, `[{"k":null},3]`},
		{`{"a":[[1]`, `{"a":[[1]`}, // unbalanced: left to the decoder
		{`"[[["`, `"[[["`},
	}
	for _, c := range cases {
		if got := string(LimitDepth([]byte(c.in), 2)); got != c.want {
			t.Errorf("LimitDepth(%s, 2) = %s, want %s", c.in, got, c.want)
		}
	}
	in := []byte(`{"a":1}`)
	if out := LimitDepth(in, 2); &out[0] != &in[0] {
		t.Error("a shallow document was copied")
	}
}

// One notebook of a page nested far beyond encoding/json's limit loses only
// that member: the page decodes, every item keeps its ID and name.
func TestDeeplyNestedItemSpoilsOnlyItself(t *testing.T) {
	page := `{"data":[{"id":"a","name":"first"},{"id":"b","name":"deep","affinity":` + nested(200_000) +
		`,"status":"RUNNING"},{"id":"c","name":"third"}],"total":3}`
	var p Page[Notebook]
	if err := json.Unmarshal([]byte(page), &p); err == nil {
		t.Fatal("encoding/json accepted the deep page: this test no longer shows anything")
	}
	if err := json.Unmarshal(LimitDepth([]byte(page), MaxJSONDepth), &p); err != nil {
		t.Fatal(err)
	}
	if len(p.Data) != 3 || p.Data[1].ID != "b" || p.Data[1].Name != "deep" || p.Data[1].Status != "RUNNING" || p.Data[2].ID != "c" {
		t.Fatalf("page %+v", p.Data)
	}
	_, insts, err := DecodeNotebookList(LimitDepth([]byte(page), MaxJSONDepth), nil)
	if err != nil || len(insts) != 3 || insts[1].Name != "deep" {
		t.Fatalf("DecodeNotebookList: %v %+v", err, insts)
	}
}

func FuzzLimitDepth(f *testing.F) {
	f.Add([]byte(`{"data":[{"id":"a","x":[[[[1]]]]}]}`), 3)
	f.Add([]byte(`[[["\"]"]]]`), 1)
	f.Fuzz(func(t *testing.T, b []byte, limit int) {
		limit = limit%8 + 1
		if limit < 1 {
			limit += 8
		}
		out := LimitDepth(b, limit)
		if !json.Valid(b) {
			return
		}
		if !json.Valid(out) {
			t.Fatalf("valid %q became invalid %q", b, out)
		}
		if d := deepest(out); d > limit {
			t.Fatalf("depth %d > %d in %q", d, limit, out)
		}
	})
}
